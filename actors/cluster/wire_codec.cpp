#include "actors/cluster/wire_codec.hpp"

#include <numeric>
#include <stdexcept>
#include <utility>

#include "actors/cluster/storage_records_codec.hpp"
#include "protocol/cbor_codec.hpp"
#include "protocol/link_messages.hpp"

namespace qs::actors::wire {

namespace {

namespace storage = runtime::storage;

// A task's payload: a job cut down to op, request_id and the slice's results.
struct task_payload {
  operation op = operation::predict;
  std::string request_id;
  std::vector<protocol::scan_result> results;
};

constexpr std::pair<protocol::severity, std::uint8_t> severity_codes[] = {
    {protocol::severity::info, 0},
    {protocol::severity::low, 1},
    {protocol::severity::medium, 2},
    {protocol::severity::high, 3},
    {protocol::severity::critical, 4}};
constexpr std::pair<operation, std::uint8_t> operation_codes[] = {{operation::predict, 0},
                                                                  {operation::detect_anomalies, 1},
                                                                  {operation::enhance, 2},
                                                                  {operation::train, 3}};

} // namespace

} // namespace qs::actors::wire

// Each wire type's fields, listed once for both directions (protocol/cbor_codec.hpp).
namespace qs::protocol::cbor {

using qs::actors::wire::operation_codes;
using qs::actors::wire::severity_codes;
namespace storage = qs::runtime::storage;

template<> struct codec<severity> {
  static void write(writer& w, severity s) { write_code(w, s, severity_codes); }
  static bool read(reader& r, severity& s) { return read_code(r, s, severity_codes); }
};

template<> struct codec<actors::operation> {
  static void write(writer& w, actors::operation op) { write_code(w, op, operation_codes); }
  static bool read(reader& r, actors::operation& op) { return read_code(r, op, operation_codes); }
};

template<> struct codec<vulnerability> : record<codec<vulnerability>> {
  template<class F, class V> static void fields(F& f, V& v) {
    f("type", v.type), f("severity", v.level), f("algorithm", v.algorithm);
    f("location", v.location), f("cwe_id", v.cwe_id), f("cve_id", v.cve_id);
    f("cvss_vector", v.cvss_vector), f("swc_id", v.swc_id), f("title", v.title);
    f("cvss_score", v.cvss_score), f("confidence", v.confidence), f("exploited", v.exploited);
  }
};

template<> struct codec<scan_result> : record<codec<scan_result>> {
  template<class F, class R> static void fields(F& f, R& r) {
    f("asset_id", r.asset_id), f("asset_type", r.asset_type);
    f("vulnerabilities", r.vulnerabilities), f("quantum_risk_score", r.quantum_risk_score);
    f("timestamp", r.timestamp), f("document", r.document);
  }
};

template<> struct codec<actors::job> : record<codec<actors::job>> {
  template<class F, class J> static void fields(F& f, J& w) {
    f("op", w.op), f("request_id", w.request_id), f("route", w.route);
    f("idempotency_key", w.idempotency_key);
    f("idempotency_fingerprint", w.idempotency_fingerprint), f("received_at", w.received_at);
    f("results", w.results), f("quantum_scores", w.quantum_scores), f("warnings", w.warnings);
    f("model_type", w.model_type);
  }
};

template<> struct codec<actors::wire::task_payload> : record<codec<actors::wire::task_payload>> {
  template<class F, class T> static void fields(F& f, T& t) {
    f("op", t.op), f("request_id", t.request_id), f("results", t.results);
  }
};

template<> struct codec<finding_prediction> : record<codec<finding_prediction>> {
  template<class F, class P> static void fields(F& f, P& p) {
    f("cve_id", p.cve_id), f("exploit_probability", p.exploit_probability);
    f("known_exploited", p.known_exploited), f("catalogued", p.catalogued);
  }
};

template<> struct codec<prediction> : record<codec<prediction>> {
  template<class F, class P> static void fields(F& f, P& p) {
    f("threat_score", p.threat_score), f("threat_types", p.threat_types);
    f("confidence", p.confidence), f("mitigation_steps", p.mitigation_steps);
    f("predicted_at", p.predicted_at), f("model_version", p.model_version);
    f("findings", p.findings);
  }
};

template<> struct codec<anomaly> : record<codec<anomaly>> {
  template<class F, class A> static void fields(F& f, A& a) {
    f("is_anomaly", a.is_anomaly), f("anomaly_score", a.anomaly_score);
    f("anomaly_types", a.anomaly_types), f("confidence", a.confidence);
    f("detected_at", a.detected_at), f("details", a.details);
  }
};

template<> struct codec<actors::job_outcome> : record<codec<actors::job_outcome>> {
  template<class F, class O> static void fields(F& f, O& o) {
    f("status", o.status), f("body", as_bytes(o.body)), f("degraded", o.degraded);
    f("degraded_reasons", o.degraded_reasons);
  }
};

} // namespace qs::protocol::cbor

namespace qs::actors::wire {

namespace {

template<class T> qs::expected<T> decode(std::string_view bytes, std::string_view root) {
  return protocol::cbor::decode<T>(bytes, root, protocol::max_wire_depth);
}

} // namespace

std::string encode_job(const job& work) {
  return protocol::cbor::encode(work, 1024 * work.results.size() + 256);
}

qs::expected<job_ptr> decode_job(std::string_view bytes, std::string_view root) {
  auto decoded = decode<job>(bytes, root);
  if (!decoded)
    return decoded.error();
  return job_ptr(std::make_shared<const job>(std::move(*decoded)));
}

namespace {

// A scan result as a task carries it: the fields of codec<scan_result>, in its order,
// with the document cut to its "metadata" member.
void write_task_result(protocol::cbor::writer& w, const protocol::scan_result& r) {
  using protocol::cbor::codec;
  w.map(6);
  w.text("asset_id");
  codec<std::string>::write(w, r.asset_id);
  w.text("asset_type");
  codec<std::string>::write(w, r.asset_type);
  w.text("vulnerabilities");
  codec<std::vector<protocol::vulnerability>>::write(w, r.vulnerabilities);
  w.text("quantum_risk_score");
  codec<std::optional<double>>::write(w, r.quantum_risk_score);
  w.text("timestamp");
  codec<std::string>::write(w, r.timestamp);
  w.text("document");
  const auto metadata = r.document.find("metadata");
  if (metadata == r.document.end()) {
    w.map(0);
    return;
  }
  w.map(1).text("metadata");
  codec<boost::json::value>::write(w, metadata->value());
}

} // namespace

std::string encode_task(const slice& part) {
  if (!part.work)
    throw std::invalid_argument("wire::encode_task: the slice has no job");
  protocol::cbor::writer w;
  w.reserve(512 * part.indices.size() + 128);
  w.map(3);
  w.text("op");
  protocol::cbor::codec<operation>::write(w, part.work->op);
  w.text("request_id").text(part.work->request_id);
  w.text("results").array(part.indices.size());
  for (std::size_t i : part.indices)
    write_task_result(w, part.work->results.at(i));
  return w.release();
}

qs::expected<slice> decode_task(std::string_view bytes, std::string_view root) {
  auto decoded = decode<task_payload>(bytes, root);
  if (!decoded)
    return decoded.error();
  auto work = std::make_shared<job>();
  work->op = decoded->op;
  work->request_id = std::move(decoded->request_id);
  work->results = std::move(decoded->results);
  slice part;
  part.indices.resize(work->results.size());
  std::iota(part.indices.begin(), part.indices.end(), std::size_t{0});
  part.work = std::move(work);
  return part;
}

std::string encode_predictions(const std::vector<protocol::prediction>& items) {
  return protocol::cbor::encode(items, 256 * items.size() + 16);
}

qs::expected<std::vector<protocol::prediction>> decode_predictions(std::string_view bytes,
                                                                   std::string_view root) {
  return decode<std::vector<protocol::prediction>>(bytes, root);
}

std::string encode_anomalies(const std::vector<protocol::anomaly>& items) {
  return protocol::cbor::encode(items, 256 * items.size() + 16);
}

qs::expected<std::vector<protocol::anomaly>> decode_anomalies(std::string_view bytes,
                                                              std::string_view root) {
  return decode<std::vector<protocol::anomaly>>(bytes, root);
}

std::string encode_batch(const storage::write_batch& batch) {
  std::size_t guess = 256;
  for (const auto& e : batch.entries)
    guess += 256 + e.scan_result.size() + e.prediction.size() + e.anomaly.size();
  for (const auto& x : batch.examples)
    guess += 128 + x.scan_result.size();
  return protocol::cbor::encode(batch, batch.answer ? guess + batch.answer->body.size() : guess);
}

qs::expected<storage::write_batch> decode_batch(std::string_view bytes, std::string_view root) {
  return decode<storage::write_batch>(bytes, root);
}

std::string encode_outcome(const job_outcome& out) {
  return protocol::cbor::encode(out, 128 + out.body.size());
}

qs::expected<job_outcome> decode_outcome(std::string_view bytes, std::string_view root) {
  return decode<job_outcome>(bytes, root);
}

} // namespace qs::actors::wire
