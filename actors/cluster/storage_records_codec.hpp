// The CBOR codecs of the storage records (runtime/storage/records.hpp), shared by the
// work codecs (a write batch: wire_codec) and the storage calls (storage_codec).
// Stored JSON text and model files travel as byte strings, byte for byte: storage
// keeps them as they were written. Header only; pure.
#pragma once

#include "protocol/cbor_codec.hpp"
#include "runtime/storage/records.hpp"

namespace qs::protocol::cbor {

template<> struct codec<runtime::storage::entry> : record<codec<runtime::storage::entry>> {
  template<class F, class E> static void fields(F& f, E& e) {
    f("id", e.id), f("asset_id", e.asset_id), f("request_id", e.request_id);
    f("operation", e.operation), f("scan_timestamp", e.scan_timestamp);
    f("stored_at", e.stored_at), f("scan_result", as_bytes(e.scan_result));
    f("prediction", as_bytes(e.prediction)), f("anomaly", as_bytes(e.anomaly));
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

template<>
struct codec<runtime::storage::scan_result_row> : record<codec<runtime::storage::scan_result_row>> {
  template<class F, class R> static void fields(F& f, R& r) {
    f("position", r.position), f("target", r.target), f("result", as_bytes(r.result));
  }
};

template<>
struct codec<runtime::storage::training_counts> : record<codec<runtime::storage::training_counts>> {
  template<class F, class C> static void fields(F& f, C& c) {
    f("examples", c.examples), f("labelled", c.labelled), f("positives", c.positives);
  }
};

} // namespace qs::protocol::cbor
