#include "protocol/envelope.hpp"

#include <limits>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "protocol/json_input.hpp"

namespace qs::protocol {

namespace {

constexpr message_type all_types[] = {
    message_type::hello,     message_type::welcome,   message_type::refuse,  message_type::ready,
    message_type::heartbeat, message_type::task,      message_type::result,  message_type::failed,
    message_type::bye,       message_type::shard_map, message_type::request, message_type::reply,
    message_type::role_down,
};

std::string hex_byte(std::uint8_t byte) {
  constexpr char digits[] = "0123456789abcdef";
  return {'0', 'x', digits[byte >> 4], digits[byte & 0x0f]};
}

std::string kind_of(const boost::json::value& v) {
  switch (v.kind()) {
  case boost::json::kind::null:
    return "null";
  case boost::json::kind::bool_:
    return "boolean";
  case boost::json::kind::int64:
  case boost::json::kind::uint64:
    return "integer";
  case boost::json::kind::double_:
    return "number";
  case boost::json::kind::string:
    return "string";
  case boost::json::kind::array:
    return "array";
  case boost::json::kind::object:
    return "object";
  }
  return "value";
}

std::string field_error(std::string_view field, std::string_view expected,
                        const boost::json::value& got) {
  return "hello field \"" + std::string(field) + "\" must be " + std::string(expected) + ", got " +
         kind_of(got);
}

// An integer field in [low, high], or an error sentence.
std::variant<std::int64_t, std::string> integer_field(const boost::json::object& object,
                                                      std::string_view field, std::int64_t low,
                                                      std::int64_t high) {
  const boost::json::value* v = object.if_contains(field);
  if (!v)
    return "hello field \"" + std::string(field) + "\" is missing";
  if (v->is_uint64()) // only values above INT64_MAX are stored as uint64
    return "hello field \"" + std::string(field) + "\" is out of range";
  if (!v->is_int64())
    return field_error(field, "an integer", *v);
  const std::int64_t n = v->get_int64();
  if (n < low || n > high)
    return "hello field \"" + std::string(field) + "\" must be between " + std::to_string(low) +
           " and " + std::to_string(high) + ", got " + std::to_string(n);
  return n;
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
  case message_type::request:
    return "request";
  case message_type::reply:
    return "reply";
  case message_type::role_down:
    return "role_down";
  }
  return "unknown";
}

std::optional<message_type> message_type_from_code(std::uint8_t code) {
  for (message_type type : all_types)
    if (static_cast<std::uint8_t>(type) == code)
      return type;
  return std::nullopt;
}

std::vector<std::string> encode(const envelope& message) {
  std::string version(2, '\0');
  version[0] = static_cast<char>(message.version >> 8);
  version[1] = static_cast<char>(message.version & 0xff);
  return {std::move(version), std::string(1, static_cast<char>(message.type)),
          message.correlation_id, message.body};
}

std::variant<envelope, std::string> decode(const std::vector<std::string>& frames) {
  if (frames.size() != 4)
    return "expected 4 frames, got " + std::to_string(frames.size());
  const std::string& version = frames[0];
  if (version.size() != 2)
    return "version frame must be 2 bytes, got " + std::to_string(version.size());
  const auto v = static_cast<std::uint16_t>((static_cast<unsigned char>(version[0]) << 8) |
                                            static_cast<unsigned char>(version[1]));
  if (v != wire_version)
    return "protocol version " + std::to_string(v) + ", this node speaks " +
           std::to_string(wire_version);
  if (frames[1].size() != 1)
    return "type frame must be 1 byte, got " + std::to_string(frames[1].size());
  const auto code = static_cast<std::uint8_t>(frames[1][0]);
  const auto type = message_type_from_code(code);
  if (!type)
    return "unknown message type " + hex_byte(code);
  return envelope{v, *type, frames[2], frames[3]};
}

std::string encode_hello(const hello& body) {
  boost::json::array roles;
  for (const auto& role : body.roles)
    roles.emplace_back(role);
  boost::json::object object;
  object["node_id"] = body.node_id;
  object["roles"] = std::move(roles);
  object["capacity"] = body.capacity;
  object["protocol_version"] = body.protocol_version;
  object["public_key"] = body.public_key;
  if (!body.address.empty())
    object["address"] = body.address;
  return boost::json::serialize(object);
}

std::variant<hello, std::string> decode_hello(std::string_view json) {
  auto parsed = parse_json(json);
  if (auto* error = std::get_if<json_error>(&parsed))
    return "hello body: " + error->message;
  const auto& value = std::get<boost::json::value>(parsed);
  if (!value.is_object())
    return "hello body must be a JSON object, got " + kind_of(value);
  const auto& object = value.get_object();
  hello out;

  for (auto [field, target] :
       {std::pair{"node_id", &out.node_id}, std::pair{"public_key", &out.public_key}}) {
    const boost::json::value* v = object.if_contains(field);
    if (!v)
      return "hello field \"" + std::string(field) + "\" is missing";
    if (!v->is_string())
      return field_error(field, "a string", *v);
    *target = std::string(v->get_string());
  }
  if (out.node_id.empty())
    return std::string("hello field \"node_id\" must not be empty");

  const boost::json::value* roles = object.if_contains("roles");
  if (!roles)
    return std::string("hello field \"roles\" is missing");
  if (!roles->is_array())
    return field_error("roles", "an array of strings", *roles);
  for (const auto& role : roles->get_array()) {
    if (!role.is_string())
      return "hello field \"roles\" must hold only strings, got " + kind_of(role);
    out.roles.emplace_back(role.get_string());
  }

  auto capacity = integer_field(object, "capacity", 0, std::numeric_limits<int>::max());
  if (auto* error = std::get_if<std::string>(&capacity))
    return std::move(*error);
  out.capacity = static_cast<int>(std::get<std::int64_t>(capacity));

  auto version = integer_field(object, "protocol_version", 0, 0xffff);
  if (auto* error = std::get_if<std::string>(&version))
    return std::move(*error);
  out.protocol_version = static_cast<std::uint16_t>(std::get<std::int64_t>(version));
  if (const boost::json::value* address = object.if_contains("address")) {
    if (!address->is_string())
      return field_error("address", "a string", *address);
    out.address = std::string(address->get_string());
  }
  return out;
}

} // namespace qs::protocol
