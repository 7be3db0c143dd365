#include "actors/cluster/storage_codec.hpp"

#include "actors/cluster/storage_records_codec.hpp"
#include "protocol/error_codec.hpp"
#include "protocol/link_messages.hpp"
#include "runtime/cluster/error_domains.hpp"

namespace qs::protocol::cbor {

namespace ask = runtime::storage::ask;

template<> struct codec<ask::find_answer> : record<codec<ask::find_answer>> {
  template<class F, class R> static void fields(F& f, R& r) { f("key", r.key); }
};
template<> struct codec<ask::history> : record<codec<ask::history>> {
  template<class F, class R> static void fields(F& f, R& r) {
    f("asset_id", r.asset_id), f("limit", r.limit), f("cursor", r.cursor);
  }
};
template<> struct codec<ask::latest> : record<codec<ask::latest>> {
  template<class F, class R> static void fields(F& f, R& r) { f("asset_id", r.asset_id); }
};
template<> struct codec<ask::judged_scans> : record<codec<ask::judged_scans>> {
  template<class F, class R> static void fields(F& f, R& r) {
    f("asset_ids", r.asset_ids), f("max_scans", r.max_scans);
  }
};
template<> struct codec<ask::store_model> : record<codec<ask::store_model>> {
  template<class F, class R> static void fields(F& f, R& r) { f("model", r.model); }
};
template<> struct codec<ask::latest_model> : record<codec<ask::latest_model>> {
  template<class F, class R> static void fields(F& f, R& r) { f("kind", r.kind); }
};
template<> struct codec<ask::list_models> : record<codec<ask::list_models>> {
  template<class F, class R> static void fields(F& f, R& r) { f("kind", r.kind); }
};
template<> struct codec<ask::count_training> : record<codec<ask::count_training>> {
  template<class F, class R> static void fields(F&, R&) {}
};
template<> struct codec<ask::labelled_examples> : record<codec<ask::labelled_examples>> {
  template<class F, class R> static void fields(F& f, R& r) { f("limit", r.limit); }
};
template<> struct codec<ask::create_scan_job> : record<codec<ask::create_scan_job>> {
  template<class F, class R> static void fields(F& f, R& r) { f("job", r.job); }
};
template<> struct codec<ask::store_scan_results> : record<codec<ask::store_scan_results>> {
  template<class F, class R> static void fields(F& f, R& r) {
    f("job_id", r.job_id), f("rows", r.rows);
  }
};
template<> struct codec<ask::finish_scan_job> : record<codec<ask::finish_scan_job>> {
  template<class F, class R> static void fields(F& f, R& r) {
    f("job_id", r.job_id), f("status", r.status), f("error", r.error);
  }
};
template<> struct codec<ask::find_scan_job> : record<codec<ask::find_scan_job>> {
  template<class F, class R> static void fields(F& f, R& r) { f("id", r.id); }
};
template<> struct codec<ask::scan_results> : record<codec<ask::scan_results>> {
  template<class F, class R> static void fields(F& f, R& r) {
    f("job_id", r.job_id), f("after", r.after), f("limit", r.limit);
  }
};
template<> struct codec<ask::unfinished_scan_jobs> : record<codec<ask::unfinished_scan_jobs>> {
  template<class F, class R> static void fields(F&, R&) {}
};

template<> struct codec<ask::find_entry> : record<codec<ask::find_entry>> {
  template<class F, class R> static void fields(F& f, R& r) {
    f("asset_id", r.asset_id), f("id", r.id);
  }
};
template<> struct codec<ask::list_assets> : record<codec<ask::list_assets>> {
  template<class F, class R> static void fields(F& f, R& r) { f("query", r.query); }
};
template<> struct codec<ask::overview> : record<codec<ask::overview>> {
  template<class F, class R> static void fields(F& f, R& r) {
    f("expiring_before", r.expiring_before), f("most", r.most);
  }
};
template<> struct codec<ask::list_scan_jobs> : record<codec<ask::list_scan_jobs>> {
  template<class F, class R> static void fields(F& f, R& r) {
    f("offset", r.offset), f("limit", r.limit), f("status", r.status);
  }
};

template<> struct codec<ask::create_schedule> : record<codec<ask::create_schedule>> {
  template<class F, class R> static void fields(F& f, R& r) { f("schedule", r.value); }
};
template<> struct codec<ask::list_schedules> : record<codec<ask::list_schedules>> {
  template<class F, class R> static void fields(F&, R&) {}
};
template<> struct codec<ask::find_schedule> : record<codec<ask::find_schedule>> {
  template<class F, class R> static void fields(F& f, R& r) { f("id", r.id); }
};
template<> struct codec<ask::delete_schedule> : record<codec<ask::delete_schedule>> {
  template<class F, class R> static void fields(F& f, R& r) { f("id", r.id); }
};
template<> struct codec<ask::claim_schedule_run> : record<codec<ask::claim_schedule_run>> {
  template<class F, class R> static void fields(F& f, R& r) {
    f("id", r.id), f("due", r.due), f("next_run", r.next_run), f("job", r.job);
  }
};

template<> struct codec<std::monostate> {
  static void write(writer& w, std::monostate) { w.null(); }
  static bool read(reader& r, std::monostate&) {
    if (r.null())
      return true;
    r.expected("null");
    return false;
  }
};

/// A variant as [index, value]: the alternative's index, then its codec's value.
template<class... Ts> struct codec<std::variant<Ts...>> {
  using variant = std::variant<Ts...>;
  static void write(writer& w, const variant& v) {
    w.array(2);
    w.unsigned_int(v.index());
    std::visit([&w](const auto& x) { codec<std::decay_t<decltype(x)>>::write(w, x); }, v);
  }
  static bool read(reader& r, variant& v) {
    std::size_t n = 0;
    if (!r.array(n))
      return false;
    std::uint64_t index = 0;
    if (n != 2) {
      r.fail("expected [code, value], got an array of " + std::to_string(n));
    } else {
      r.push(std::size_t{0});
      r.unsigned_int(index);
      if (r.ok() && index >= sizeof...(Ts))
        r.fail("unknown code " + std::to_string(index));
      r.pop();
      if (r.ok()) {
        r.push(std::size_t{1});
        read_alternative(r, v, index, std::index_sequence_for<Ts...>());
        r.pop();
      }
    }
    r.leave();
    return r.ok();
  }

private:
  template<std::size_t... I>
  static void read_alternative(reader& r, variant& v, std::uint64_t index,
                               std::index_sequence<I...>) {
    ((index == I
          ? (void)codec<std::variant_alternative_t<I, variant>>::read(r, v.template emplace<I>())
          : (void)0),
     ...);
  }
};

} // namespace qs::protocol::cbor

namespace qs::actors::wire {

std::string encode_storage_request(const runtime::storage::storage_request& request) {
  return protocol::cbor::encode(request, 256);
}

qs::expected<runtime::storage::storage_request> decode_storage_request(std::string_view bytes,
                                                                       std::string_view root) {
  return protocol::cbor::decode<runtime::storage::storage_request>(bytes, root,
                                                                   protocol::max_wire_depth);
}

std::string encode_storage_answer(const runtime::storage::storage_answer& answer) {
  return protocol::cbor::encode(answer, 1024);
}

qs::expected<runtime::storage::storage_answer> decode_storage_answer(std::string_view bytes,
                                                                     std::string_view root) {
  return protocol::cbor::decode<runtime::storage::storage_answer>(bytes, root,
                                                                  protocol::max_wire_depth);
}

} // namespace qs::actors::wire

namespace qs::actors::wire {

namespace {

/// An outcome on the wire: the answer, or the error as data.
using wire_outcome = std::variant<runtime::storage::storage_answer, protocol::wire_error>;

} // namespace

std::string encode_persistence_task(const persistence_work& work) {
  return protocol::cbor::encode(work, 1024);
}

std::string encode_persistence_write(const runtime::storage::write_batch& batch) {
  protocol::cbor::writer w;
  w.reserve(1024);
  w.array(2).unsigned_int(0); // persistence_work's first alternative
  protocol::cbor::codec<runtime::storage::write_batch>::write(w, batch);
  return w.release();
}

std::string encode_persistence_call(std::string_view request_bytes) {
  protocol::cbor::writer w;
  w.reserve(request_bytes.size() + 4);
  w.array(2).unsigned_int(1).raw(request_bytes); // persistence_work's second alternative
  return w.release();
}

qs::expected<persistence_work> decode_persistence_task(std::string_view bytes,
                                                       std::string_view root) {
  return protocol::cbor::decode<persistence_work>(bytes, root, protocol::max_wire_depth);
}

std::string encode_storage_outcome(const qs::expected<runtime::storage::storage_answer>& outcome) {
  return protocol::cbor::encode(
      outcome ? wire_outcome(*outcome) : wire_outcome(protocol::to_wire(outcome.error())), 1024);
}

qs::expected<runtime::storage::storage_answer> decode_storage_outcome(std::string_view bytes,
                                                                      std::string_view root) {
  auto decoded = protocol::cbor::decode<wire_outcome>(bytes, root, protocol::max_wire_depth);
  if (!decoded)
    return decoded.error();
  if (auto* error = std::get_if<protocol::wire_error>(&*decoded))
    return runtime::cluster::from_wire(*error);
  return std::get<runtime::storage::storage_answer>(std::move(*decoded));
}

} // namespace qs::actors::wire

namespace qs::actors::wire {

qs::expected<std::string> storage_outcome_answer(std::string_view bytes, std::string_view root) {
  protocol::cbor::reader r(bytes, root, protocol::max_wire_depth);
  std::size_t n = 0;
  std::uint64_t kind = 0;
  std::string_view item;
  if (r.array(n) && n == 2 && r.unsigned_int(kind) && kind == 0 && r.raw(item)) {
    r.leave();
    if (r.finish())
      return std::string(item);
  }
  // An error, or bytes that are not an outcome: the full decoder says which.
  auto decoded = decode_storage_outcome(bytes, root);
  if (!decoded)
    return decoded.error();
  return encode_storage_answer(*decoded);
}

} // namespace qs::actors::wire
