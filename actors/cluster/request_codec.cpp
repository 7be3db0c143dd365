#include "actors/cluster/request_codec.hpp"

#include "protocol/cbor_codec.hpp"
#include "protocol/cbor_json.hpp"

namespace qs::actors::wire {

namespace {

struct no_fields {};

} // namespace

} // namespace qs::actors::wire

namespace qs::protocol::cbor {

template<> struct codec<actors::wire::model_request> : record<codec<actors::wire::model_request>> {
  template<class F, class R> static void fields(F& f, R& r) { f("have", r.have); }
};

template<> struct codec<actors::wire::model_offer> : record<codec<actors::wire::model_offer>> {
  template<class F, class O> static void fields(F& f, O& o) {
    f("version", o.version), f("model", as_bytes(o.model));
  }
};

template<> struct codec<actors::wire::no_fields> : record<codec<actors::wire::no_fields>> {
  template<class F, class N> static void fields(F&, N&) {}
};

} // namespace qs::protocol::cbor

namespace qs::actors::wire {

namespace cbor = protocol::cbor;

std::string encode_model_request(const model_request& request) {
  return cbor::encode(request);
}

qs::expected<model_request> decode_model_request(std::string_view bytes, std::string_view root) {
  return cbor::decode<model_request>(bytes, root);
}

std::string encode_model_answer(const std::optional<model_offer>& offer) {
  return cbor::encode(offer, offer ? offer->model.size() + 64 : 1);
}

qs::expected<std::optional<model_offer>> decode_model_answer(std::string_view bytes,
                                                             std::string_view root) {
  return cbor::decode<std::optional<model_offer>>(bytes, root);
}

std::string encode_cluster_request() {
  return cbor::encode(no_fields{});
}

qs::expected<void> decode_cluster_request(std::string_view bytes, std::string_view root) {
  auto decoded = cbor::decode<no_fields>(bytes, root);
  if (!decoded)
    return decoded.error();
  return {};
}

std::string encode_cluster_view(const boost::json::value& view) {
  return protocol::json_to_cbor(view);
}

qs::expected<boost::json::value> decode_cluster_view(std::string_view bytes,
                                                     std::string_view root) {
  return protocol::json_from_cbor(bytes, root);
}

std::string encode_done() {
  return cbor::writer().null().release();
}

qs::expected<void> decode_done(std::string_view bytes, std::string_view root) {
  cbor::reader r(bytes, root);
  if (!r.null())
    r.expected("null");
  if (!r.finish())
    return r.error();
  return {};
}

} // namespace qs::actors::wire
