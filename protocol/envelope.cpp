#include "protocol/envelope.hpp"

namespace qs::protocol {

namespace {

constexpr message_type all_types[] = {
    message_type::hello,        message_type::welcome,       message_type::refuse,
    message_type::ready,        message_type::heartbeat,     message_type::task,
    message_type::result,       message_type::failed,        message_type::bye,
    message_type::shard_map,    message_type::reply,         message_type::role_down,
    message_type::request_job,  message_type::request_store, message_type::request_cluster,
    message_type::request_scan, message_type::request_model, message_type::request_storage,
};

std::string hex_byte(std::uint8_t byte) {
  constexpr char digits[] = "0123456789abcdef";
  return {'0', 'x', digits[byte >> 4], digits[byte & 0x0f]};
}

} // namespace

std::string_view to_string(message_type type) {
  switch (type) {
  case message_type::hello:
    return "hello";
  case message_type::welcome:
    return "welcome";
  case message_type::refuse:
    return "refuse";
  case message_type::ready:
    return "ready";
  case message_type::heartbeat:
    return "heartbeat";
  case message_type::task:
    return "task";
  case message_type::result:
    return "result";
  case message_type::failed:
    return "failed";
  case message_type::bye:
    return "bye";
  case message_type::shard_map:
    return "shard_map";
  case message_type::reply:
    return "reply";
  case message_type::role_down:
    return "role_down";
  case message_type::request_job:
    return "request_job";
  case message_type::request_store:
    return "request_store";
  case message_type::request_cluster:
    return "request_cluster";
  case message_type::request_scan:
    return "request_scan";
  case message_type::request_model:
    return "request_model";
  case message_type::request_storage:
    return "request_storage";
  }
  return "unknown";
}

std::optional<message_type> message_type_from_code(std::uint8_t code) {
  for (message_type type : all_types)
    if (static_cast<std::uint8_t>(type) == code)
      return type;
  return std::nullopt;
}

bool is_request(message_type type) {
  switch (type) {
  case message_type::request_job:
  case message_type::request_store:
  case message_type::request_cluster:
  case message_type::request_scan:
  case message_type::request_model:
  case message_type::request_storage:
    return true;
  default:
    return false;
  }
}

std::vector<std::string> encode(const envelope& message) {
  std::string version(2, '\0');
  version[0] = static_cast<char>(message.version >> 8);
  version[1] = static_cast<char>(message.version & 0xff);
  return {std::move(version), std::string(1, static_cast<char>(message.type)),
          message.correlation_id, message.body};
}

std::optional<std::uint16_t> version_of(const std::vector<std::string>& frames) {
  if (frames.empty() || frames[0].size() != 2)
    return std::nullopt;
  return static_cast<std::uint16_t>((static_cast<unsigned char>(frames[0][0]) << 8) |
                                    static_cast<unsigned char>(frames[0][1]));
}

std::string version_mismatch(std::uint16_t peer_version) {
  return "protocol version " + std::to_string(peer_version) + ", this node speaks " +
         std::to_string(wire_version);
}

std::vector<std::string> version_refusal(std::uint16_t peer_version) {
  return encode({peer_version, message_type::refuse, "", version_mismatch(peer_version)});
}

qs::expected<envelope> decode(const std::vector<std::string>& frames) {
  if (frames.size() != 4)
    return qs::error(wire_errc::malformed,
                     "expected 4 frames, got " + std::to_string(frames.size()));
  const auto version = version_of(frames);
  if (!version)
    return qs::error(wire_errc::malformed,
                     "the version frame must be 2 bytes, got " + std::to_string(frames[0].size()));
  if (*version != wire_version)
    return qs::error(wire_errc::version_mismatch, version_mismatch(*version));
  if (frames[1].size() != 1)
    return qs::error(wire_errc::malformed,
                     "the type frame must be 1 byte, got " + std::to_string(frames[1].size()));
  const auto code = static_cast<std::uint8_t>(frames[1][0]);
  const auto type = message_type_from_code(code);
  if (!type)
    return qs::error(wire_errc::unknown_type, "unknown message type " + hex_byte(code));
  return envelope{*version, *type, frames[2], frames[3]};
}

} // namespace qs::protocol
