#include "actors/cluster/scan_task_codec.hpp"

#include "actors/cluster/exact_json.hpp"
#include "actors/scanner/report_json.hpp"
#include "actors/scanner/report_read.hpp"
#include "protocol/cbor_codec.hpp"
#include "protocol/link_messages.hpp"

namespace qs::actors::wire {

namespace {

struct target_entry {
  std::string target;
  std::string address;
};

struct chunk_fields {
  std::vector<target_entry> targets;
  std::int64_t timeout_ms = 0;
  std::int64_t probes_per_endpoint = 0;
};

} // namespace

} // namespace qs::actors::wire

namespace qs::protocol::cbor {

template<> struct codec<actors::wire::target_entry> : record<codec<actors::wire::target_entry>> {
  template<class F, class T> static void fields(F& f, T& t) {
    f("target", t.target), f("address", t.address);
  }
};

template<> struct codec<actors::wire::chunk_fields> : record<codec<actors::wire::chunk_fields>> {
  template<class F, class C> static void fields(F& f, C& c) {
    f("targets", c.targets), f("timeout_ms", c.timeout_ms);
    f("probes_per_endpoint", c.probes_per_endpoint);
  }
};

template<> struct codec<actors::scan_submission> : record<codec<actors::scan_submission>> {
  template<class F, class S> static void fields(F& f, S& s) {
    f("body", as_bytes(s.body)), f("owner", s.owner), f("request_id", s.request_id);
    f.optional("kind", s.kind);
  }
};

template<> struct codec<actors::scan_submitted> : record<codec<actors::scan_submitted>> {
  template<class F, class S> static void fields(F& f, S& s) {
    f("status", s.status), f("retry_after", s.retry_after), f("body", as_bytes(s.body));
  }
};

} // namespace qs::protocol::cbor

namespace qs::actors::wire {

namespace cbor = protocol::cbor;

std::string encode_scan_task(const scan_chunk& chunk) {
  chunk_fields fields;
  for (const auto& t : chunk.targets)
    fields.targets.push_back({t.text, t.address});
  fields.timeout_ms = static_cast<std::int64_t>(chunk.timeout.count());
  fields.probes_per_endpoint = static_cast<std::int64_t>(chunk.probes_per_endpoint);
  return cbor::encode(fields, 64 * chunk.targets.size() + 64);
}

qs::expected<scan_chunk> decode_scan_task(std::string_view bytes, std::string_view root) {
  auto fields = cbor::decode<chunk_fields>(bytes, root);
  if (!fields)
    return fields.error();
  const auto bad = [&](const std::string& where, const std::string& why) {
    return qs::error(protocol::wire_errc::bad_field, std::string(root) + "." + where + ": " + why);
  };
  if (fields->timeout_ms < 1 || fields->timeout_ms > 600000)
    return bad("timeout_ms",
               "expected an integer from 1 to 600000, got " + std::to_string(fields->timeout_ms));
  if (fields->probes_per_endpoint < 1 || fields->probes_per_endpoint > 256)
    return bad("probes_per_endpoint", "expected an integer from 1 to 256, got " +
                                          std::to_string(fields->probes_per_endpoint));
  scan_chunk chunk;
  for (std::size_t i = 0; i < fields->targets.size(); ++i) {
    auto parsed = scanner::parse_target(fields->targets[i].target);
    if (auto* why = std::get_if<std::string>(&parsed))
      return bad("targets[" + std::to_string(i) + "].target", *why);
    auto t = std::get<scanner::target>(std::move(parsed));
    t.address = std::move(fields->targets[i].address);
    chunk.targets.push_back(std::move(t));
  }
  chunk.timeout = std::chrono::milliseconds(fields->timeout_ms);
  chunk.probes_per_endpoint = static_cast<std::size_t>(fields->probes_per_endpoint);
  return chunk;
}

// Each result is written in the `json` format and travels as that document's value.
std::string encode_scan_results(const scan_results& results) {
  cbor::writer w;
  w.array(results.size());
  for (const auto& per_target : results) {
    w.array(per_target.size());
    for (const auto& r : per_target) {
      protocol::json_writer out;
      scanner::write_result(out, r);
      boost::json::error_code ec;
      std::size_t at = 0;
      auto document = parse_exact(out.str(), {}, ec, at);
      protocol::write_json(w, document); // json_writer writes valid JSON: ec is never set
    }
  }
  return w.release();
}

qs::expected<scan_results> decode_scan_results(std::string_view bytes, std::string_view root) {
  cbor::reader r(bytes, root, protocol::max_wire_depth);
  scan_results out;
  std::size_t targets = 0;
  if (r.array(targets)) {
    for (std::size_t i = 0; i < targets && r.ok(); ++i) {
      r.push(i);
      std::size_t n = 0;
      if (r.array(n)) {
        auto& into = out.emplace_back();
        for (std::size_t k = 0; k < n && r.ok(); ++k) {
          r.push(k);
          boost::json::value document;
          if (protocol::read_json(r, document)) {
            auto result = scanner::read_result(document);
            if (auto* why = std::get_if<std::string>(&result))
              r.fail(*why);
            else
              into.push_back(std::move(std::get<scanner::target_result>(result)));
          }
          r.pop();
        }
        r.leave();
      }
      r.pop();
    }
    r.leave();
  }
  if (!r.finish())
    return r.error();
  return out;
}

std::string encode_scan_submission(const scan_submission& sub) {
  return cbor::encode(sub, sub.body.size() + 64);
}

qs::expected<scan_submission> decode_scan_submission(std::string_view bytes,
                                                     std::string_view root) {
  return cbor::decode<scan_submission>(bytes, root);
}

std::string encode_scan_submitted(const scan_submitted& answer) {
  return cbor::encode(answer, answer.body.size() + 64);
}

qs::expected<scan_submitted> decode_scan_submitted(std::string_view bytes, std::string_view root) {
  auto answer = cbor::decode<scan_submitted>(bytes, root);
  if (answer && (answer->status < 100 || answer->status > 599))
    return qs::error(protocol::wire_errc::bad_field,
                     std::string(root) + ".status: expected an integer from 100 to 599, got " +
                         std::to_string(answer->status));
  return answer;
}

} // namespace qs::actors::wire
