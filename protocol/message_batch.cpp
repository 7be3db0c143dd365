#include "protocol/message_batch.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "protocol/cbor.hpp"

namespace qs::protocol {

namespace {

constexpr std::size_t frames_per_message = 4; // version, type, correlation id, body

std::string hex_byte(std::uint64_t code) {
  constexpr char digits[] = "0123456789abcdef";
  return {'0', 'x', digits[(code >> 4) & 0x0f], digits[code & 0x0f]};
}

// The message in `frames` (after the routing id when `routed`) when it may join a
// batch: this version, a batchable type, the four frames of `encode`. Its correlation
// id and body are moved out of `frames`; nothing is touched when it may not.
std::optional<envelope> batch_member(std::vector<std::string>& frames, bool routed) {
  const std::size_t first = routed ? 1 : 0;
  if (frames.size() != first + frames_per_message)
    return std::nullopt;
  const std::string& version = frames[first];
  const std::string& type = frames[first + 1];
  if (version.size() != 2 || type.size() != 1)
    return std::nullopt;
  const auto number = static_cast<std::uint16_t>((static_cast<unsigned char>(version[0]) << 8) |
                                                 static_cast<unsigned char>(version[1]));
  const auto known = message_type_from_code(static_cast<std::uint8_t>(type[0]));
  if (number != wire_version || !known || !batchable(*known))
    return std::nullopt;
  return envelope{wire_version, *known, std::move(frames[first + 2]), std::move(frames[first + 3])};
}

} // namespace

bool batchable(message_type type) {
  switch (type) {
  case message_type::hello:
  case message_type::welcome:
  case message_type::refuse:
  case message_type::batch:
    return false;
  default:
    return true;
  }
}

std::string pack(const std::vector<envelope>& messages) {
  std::size_t size = 16;
  for (const envelope& m : messages)
    size += 16 + m.correlation_id.size() + m.body.size();
  cbor::writer w;
  w.reserve(size);
  w.array(messages.size());
  for (const envelope& m : messages) {
    w.array(3);
    w.unsigned_int(static_cast<std::uint8_t>(m.type));
    w.bytes(m.correlation_id);
    w.bytes(m.body);
  }
  return w.release();
}

qs::expected<std::vector<envelope>> unpack(std::string_view body, std::uint16_t version,
                                           std::string_view root) {
  cbor::reader r(body, root, 2);
  std::size_t n = 0;
  if (!r.array(n))
    return r.error();
  if (n < 2) {
    r.fail("a batch holds at least 2 messages, got " + std::to_string(n));
    return r.error();
  }
  std::vector<envelope> out;
  out.reserve(std::min<std::size_t>(n, 256)); // n is bounded by the input, not by memory
  for (std::size_t i = 0; i < n && r.ok(); ++i) {
    r.push(i);
    std::size_t fields = 0;
    if (r.array(fields) && fields != 3)
      r.fail("a message in a batch is [type, correlation id, body], got " + std::to_string(fields) +
             " items");
    envelope& m = out.emplace_back();
    m.version = version;
    std::uint64_t code = 0;
    r.push(std::size_t{0});
    if (r.unsigned_int(code)) {
      const auto type =
          code <= 0xff ? message_type_from_code(static_cast<std::uint8_t>(code)) : std::nullopt;
      if (!type)
        r.fail("unknown message type " + (code <= 0xff ? hex_byte(code) : std::to_string(code)));
      else if (!batchable(*type))
        r.fail(std::string(to_string(*type)) + " never travels in a batch");
      else
        m.type = *type;
    }
    r.pop();
    std::string_view correlation_id, message_body;
    r.push(std::size_t{1});
    if (r.bytes(correlation_id))
      m.correlation_id.assign(correlation_id.data(), correlation_id.size());
    r.pop();
    r.push(std::size_t{2});
    if (r.bytes(message_body))
      m.body.assign(message_body.data(), message_body.size());
    r.pop();
    r.leave();
    r.pop();
  }
  r.leave();
  if (!r.finish())
    return r.error();
  return out;
}

std::vector<std::vector<std::string>> coalesce(std::vector<std::vector<std::string>> queued,
                                               bool routed, batch_limits limits) {
  // Each slot is a message sent as it was, or a run of batchable messages for one peer.
  struct slot {
    std::vector<std::string> frames; // as queued; empty for a run
    std::string route;
    std::vector<envelope> run;
    std::size_t bytes = 0;
  };
  std::vector<slot> slots;
  slots.reserve(queued.size());
  std::map<std::string, std::size_t> open_run; // by route: the slot still taking messages
  for (auto& frames : queued) {
    auto member = batch_member(frames, routed);
    const std::string route = routed && !frames.empty() ? frames.front() : std::string();
    if (!member) {
      open_run.erase(route); // later messages for that peer must come after this one
      slots.push_back({std::move(frames), {}, {}, 0});
      continue;
    }
    const std::size_t size = member->correlation_id.size() + member->body.size();
    auto open = open_run.find(route);
    if (open != open_run.end()) {
      slot& run = slots[open->second];
      if (run.run.size() < limits.max_messages && run.bytes + size <= limits.max_bytes) {
        run.bytes += size;
        run.run.push_back(std::move(*member));
        continue;
      }
    }
    open_run[route] = slots.size();
    slot& run = slots.emplace_back();
    run.route = route;
    run.bytes = size;
    run.run.push_back(std::move(*member));
  }

  std::vector<std::vector<std::string>> out;
  out.reserve(slots.size());
  for (slot& s : slots) {
    if (s.run.empty()) {
      out.push_back(std::move(s.frames));
      continue;
    }
    std::vector<std::string> frames;
    if (routed)
      frames.push_back(std::move(s.route));
    auto message = s.run.size() == 1
                       ? std::move(s.run.front())
                       : envelope{s.run.front().version, message_type::batch, "", pack(s.run)};
    for (std::string& frame : encode(std::move(message)))
      frames.push_back(std::move(frame));
    out.push_back(std::move(frames));
  }
  return out;
}

} // namespace qs::protocol
