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
    message_type::batch,
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
  case message_type::batch:
    return "batch";
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

namespace {

std::string version_frame(std::uint16_t version) {
  std::string frame(2, '\0');
  frame[0] = static_cast<char>(version >> 8);
  frame[1] = static_cast<char>(version & 0xff);
  return frame;
}

// Why the frames are not a message of this version, or nothing.
std::optional<qs::error> problem_of(const std::vector<std::string>& frames) {
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
  if (!message_type_from_code(code))
    return qs::error(wire_errc::unknown_type, "unknown message type " + hex_byte(code));
  return std::nullopt;
}

} // namespace

std::vector<std::string> encode(const envelope& message) {
  return {version_frame(message.version), std::string(1, static_cast<char>(message.type)),
          message.correlation_id, message.body};
}

std::vector<std::string> encode(envelope&& message) {
  std::vector<std::string> frames;
  frames.reserve(4);
  frames.push_back(version_frame(message.version));
  frames.emplace_back(1, static_cast<char>(message.type));
  frames.push_back(std::move(message.correlation_id));
  frames.push_back(std::move(message.body));
  return frames;
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

qs::expected<envelope> decode(const std::vector<std::string>& frames) {
  if (auto problem = problem_of(frames))
    return std::move(*problem);
  const auto type = message_type_from_code(static_cast<std::uint8_t>(frames[1][0]));
  return envelope{wire_version, *type, frames[2], frames[3]};
}

qs::expected<envelope> decode_moving(std::vector<std::string>& frames) {
  if (auto problem = problem_of(frames))
    return std::move(*problem);
  const auto type = message_type_from_code(static_cast<std::uint8_t>(frames[1][0]));
  return envelope{wire_version, *type, std::move(frames[2]), std::move(frames[3])};
}

} // namespace qs::protocol
