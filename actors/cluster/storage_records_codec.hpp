// The CBOR codecs of the storage records (runtime/storage/records.hpp), shared by the
// work codecs (a write batch: wire_codec) and the storage calls (storage_codec).
// Stored JSON text and model files travel as byte strings, byte for byte: storage
// keeps them as they were written. Header only; pure.
#pragma once

#include "protocol/cbor_codec.hpp"
#include "runtime/storage/estate.hpp"

namespace qs::protocol::cbor {

template<>
struct codec<runtime::storage::entry_summary> : record<codec<runtime::storage::entry_summary>> {
  template<class F, class S> static void fields(F& f, S& s) {
    f("asset_type", s.asset_type), f("findings", s.findings), f("quantum_risk", s.quantum_risk);
    f("threat_score", s.threat_score), f("is_anomaly", s.is_anomaly), f("scan_job", s.scan_job);
    f("kind", s.kind), f("post_quantum", s.post_quantum), f("not_after", s.not_after);
    f("vulnerable", s.vulnerable), f("top_probability", s.top_probability);
    f("top_title", s.top_title), f("top_cve", s.top_cve);
    f("top_known_exploited", s.top_known_exploited);
  }
};

template<> struct codec<runtime::storage::entry> : record<codec<runtime::storage::entry>> {
  template<class F, class E> static void fields(F& f, E& e) {
    f("id", e.id), f("asset_id", e.asset_id), f("request_id", e.request_id);
    f("operation", e.operation), f("scan_timestamp", e.scan_timestamp);
    f("stored_at", e.stored_at), f("scan_result", as_bytes(e.scan_result));
    f("prediction", as_bytes(e.prediction)), f("anomaly", as_bytes(e.anomaly));
    f.optional("summary", e.summary);
  }
};

template<>
struct codec<runtime::storage::training_example>
    : record<codec<runtime::storage::training_example>> {
  template<class F, class X> static void fields(F& f, X& x) {
    f("asset_id", x.asset_id), f("scan_result", as_bytes(x.scan_result));
    f("exploited", x.exploited), f("stored_at", x.stored_at);
  }
};

template<>
struct codec<runtime::storage::idempotent_answer>
    : record<codec<runtime::storage::idempotent_answer>> {
  template<class F, class A> static void fields(F& f, A& a) {
    f("key", a.key), f("route", a.route), f("status", a.status), f("body", as_bytes(a.body));
    f("fingerprint", a.fingerprint);
  }
};

template<>
struct codec<runtime::storage::write_batch> : record<codec<runtime::storage::write_batch>> {
  template<class F, class B> static void fields(F& f, B& b) {
    f("request_id", b.request_id), f("entries", b.entries), f("examples", b.examples);
    f("answer", b.answer);
  }
};

template<>
struct codec<runtime::storage::stored_model> : record<codec<runtime::storage::stored_model>> {
  template<class F, class M> static void fields(F& f, M& m) {
    f("version", m.version), f("kind", m.kind), f("created_at", m.created_at);
    f("metrics", as_bytes(m.metrics)), f("model", as_bytes(m.model));
  }
};

template<>
struct codec<runtime::storage::history_page> : record<codec<runtime::storage::history_page>> {
  template<class F, class P> static void fields(F& f, P& p) {
    f("entries", p.entries), f("total", p.total), f("next", p.next);
  }
};

template<> struct codec<runtime::storage::scan_job> : record<codec<runtime::storage::scan_job>> {
  template<class F, class J> static void fields(F& f, J& j) {
    f("id", j.id), f("status", j.status), f("request", as_bytes(j.request));
    f("total", j.total), f("done", j.done), f("error", j.error), f("owner", j.owner);
    f("created_at", j.created_at), f("updated_at", j.updated_at);
  }
};

template<> struct codec<runtime::storage::schedule> : record<codec<runtime::storage::schedule>> {
  template<class F, class S> static void fields(F& f, S& s) {
    f("id", s.id), f("name", s.name), f("request", as_bytes(s.request)), f("owner", s.owner);
    f("created_at", s.created_at), f("next_run", s.next_run), f("last_scan", s.last_scan);
    f("last_run_at", s.last_run_at);
  }
};

template<>
struct codec<runtime::storage::scan_result_row> : record<codec<runtime::storage::scan_result_row>> {
  template<class F, class R> static void fields(F& f, R& r) {
    f("position", r.position), f("target", r.target), f("result", as_bytes(r.result));
  }
};

template<> struct codec<runtime::storage::asset_row> : record<codec<runtime::storage::asset_row>> {
  template<class F, class A> static void fields(F& f, A& a) {
    f("asset_id", a.asset_id), f("last_entry", a.last_entry), f("entries", a.entries);
    f("last_seen", a.last_seen), f("scan_timestamp", a.scan_timestamp), f("risk", a.risk);
    f("summary", a.summary);
  }
};

template<> struct codec<runtime::storage::asset_query::order_by> {
  using order_by = runtime::storage::asset_query::order_by;
  static constexpr std::pair<order_by, std::uint8_t> codes[] = {
      {order_by::risk, 0},     {order_by::asset_id, 1},     {order_by::last_seen, 2},
      {order_by::findings, 3}, {order_by::quantum_risk, 4}, {order_by::threat_score, 5}};
  static void write(writer& w, order_by o) { write_code(w, o, codes); }
  static bool read(reader& r, order_by& o) { return read_code(r, o, codes); }
};

template<>
struct codec<runtime::storage::asset_query> : record<codec<runtime::storage::asset_query>> {
  template<class F, class Q> static void fields(F& f, Q& q) {
    f("offset", q.offset), f("limit", q.limit), f("sort", q.sort), f("descending", q.descending);
    f("search", q.search), f("risk_level", q.risk_level);
  }
};

template<>
struct codec<runtime::storage::asset_list> : record<codec<runtime::storage::asset_list>> {
  template<class F, class L> static void fields(F& f, L& l) {
    f("assets", l.assets), f("total", l.total);
  }
};

template<>
struct codec<runtime::storage::named_count> : record<codec<runtime::storage::named_count>> {
  template<class F, class N> static void fields(F& f, N& n) {
    f("name", n.name), f("count", n.count);
  }
};

template<>
struct codec<runtime::storage::estate_overview> : record<codec<runtime::storage::estate_overview>> {
  template<class F, class O> static void fields(F& f, O& o) {
    f("assets", o.assets), f("by_risk_level", o.by_risk_level);
    f("vulnerable_algorithms", o.vulnerable_algorithms), f("tls_endpoints", o.tls_endpoints);
    f("tls_with_post_quantum", o.tls_with_post_quantum);
    f("certificates_expiring", o.certificates_expiring);
    f("most_likely_exploited", o.most_likely_exploited);
  }
};

template<>
struct codec<runtime::storage::scan_job_page> : record<codec<runtime::storage::scan_job_page>> {
  template<class F, class P> static void fields(F& f, P& p) {
    f("jobs", p.jobs), f("total", p.total);
  }
};

template<>
struct codec<runtime::storage::training_counts> : record<codec<runtime::storage::training_counts>> {
  template<class F, class C> static void fields(F& f, C& c) {
    f("examples", c.examples), f("labelled", c.labelled), f("positives", c.positives);
  }
};

} // namespace qs::protocol::cbor
