// The CBOR codecs of the requests a node asks the coordinator that are not work
// (docs/protocol.md, "Requests"), and of their answers (a REPLY's value):
//
//   REQUEST_MODEL   {"have": "20261201-1"}          the exploit model a predictor runs
//     answer        null, or {"version": "...", "model": h'...'}: the newest stored
//                   model when it is not `have` (the model file's bytes, as stored)
//   REQUEST_CLUSTER {}                              (no fields yet)
//     answer        the cluster view (GET /v1/cluster) as a document value
//   REQUEST_STORE   a write batch (wire_codec.hpp)
//     answer        null: stored
//
// The codecs of a job and a scan are in wire_codec.hpp and scan_task_codec.hpp.
// Decoders name the first bad field from `root`. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "runtime/expected.hpp"

namespace qs::actors::wire {

struct model_request {
  std::string have; ///< the version this node runs ("" when none)
};

struct model_offer {
  std::string version;
  std::string model; ///< the model file's bytes
};

std::string encode_model_request(const model_request& request);
qs::expected<model_request> decode_model_request(std::string_view bytes,
                                                 std::string_view root = "request_model");

std::string encode_model_answer(const std::optional<model_offer>& offer);
qs::expected<std::optional<model_offer>> decode_model_answer(std::string_view bytes,
                                                             std::string_view root = "reply.value");

std::string encode_cluster_request();
qs::expected<void> decode_cluster_request(std::string_view bytes,
                                          std::string_view root = "request_cluster");

std::string encode_cluster_view(const boost::json::value& view);
qs::expected<boost::json::value> decode_cluster_view(std::string_view bytes,
                                                     std::string_view root = "reply.value");

/// The value of an answer that says only "done" (REQUEST_STORE): null.
std::string encode_done();
qs::expected<void> decode_done(std::string_view bytes, std::string_view root = "reply.value");

} // namespace qs::actors::wire
