#include "protocol/link_messages.hpp"

#include <algorithm>

namespace qs::protocol::cbor {

template<> struct codec<role> {
  static void write(writer& w, role r) { write_code(w, r, role_codes); }
  static bool read(reader& r, role& x) { return read_code(r, x, role_codes); }
};

template<> struct codec<hello> : record<codec<hello>> {
  template<class F, class H> static void fields(F& f, H& h) {
    f("node_id", h.node_id), f("roles", h.roles), f("capacity", h.capacity);
    f("protocol_version", h.protocol_version), f("public_key", h.public_key);
    f.optional("address", h.address);
    f.optional("database_id", h.database_id), f.optional("database_kind", h.database_kind);
    f.optional("database_cluster", h.database_cluster);
  }
};

template<> struct codec<welcome> : record<codec<welcome>> {
  template<class F, class W> static void fields(F& f, W& w) {
    f("node_id", w.node_id), f("coordinator_id", w.coordinator_id);
    f("heartbeat_interval_ms", w.heartbeat_interval_ms);
    f.optional("cluster_id", w.cluster_id);
  }
};

template<> struct codec<refuse> : record<codec<refuse>> {
  template<class F, class R> static void fields(F& f, R& r) { f("error", r.error); }
};

template<> struct codec<ready> : record<codec<ready>> {
  template<class F, class R> static void fields(F& f, R& r) {
    f("role", r.role), f("credits", r.credits);
  }
};

template<> struct codec<task> : record<codec<task>> {
  template<class F, class T> static void fields(F& f, T& t) {
    f("role", t.role), f("attempt", t.attempt), f("deadline_ms", t.deadline_ms);
    f("payload", as_item(t.payload));
  }
};

template<> struct codec<task_result> : record<codec<task_result>> {
  template<class F, class R> static void fields(F& f, R& r) { f("payload", as_item(r.payload)); }
};

template<> struct codec<task_failure> : record<codec<task_failure>> {
  template<class F, class R> static void fields(F& f, R& r) { f("error", r.error); }
};

template<> struct codec<shard_map> : record<codec<shard_map>> {
  template<class F, class M> static void fields(F& f, M& m) {
    f("role", m.role), f("generation", m.generation), f("nodes", m.nodes);
  }
};

template<> struct codec<role_down> : record<codec<role_down>> {
  template<class F, class R> static void fields(F& f, R& r) { f("role", r.role); }
};

// {"value": item} or {"error": error}: one of the two, never both.
template<> struct codec<reply> {
  static void write(writer& w, const reply& m) {
    w.map(1);
    if (m.ok)
      w.text("value"), codec<item_of<const std::string>>::write(w, as_item(m.value));
    else
      w.text("error"), codec<wire_error>::write(w, m.error);
  }
  static bool read(reader& r, reply& m) {
    std::size_t n = 0;
    if (!r.map(n))
      return false;
    int found = 0;
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
      std::string_view key;
      if (r.peek() != kind::text) {
        r.expected("a text string as a field name");
        break;
      }
      r.text(key);
      if (key != "value" && key != "error") {
        r.skip();
        continue;
      }
      r.push(key);
      if (++found > 1)
        r.fail("a reply holds a value or an error, not both");
      else if (key == "value")
        m.ok = true, codec<item_of<std::string>>::read(r, as_item(m.value));
      else
        m.ok = false, codec<wire_error>::read(r, m.error);
      r.pop();
    }
    if (r.ok() && found == 0)
      r.fail("holds neither a value nor an error");
    r.leave();
    return r.ok();
  }
};

} // namespace qs::protocol::cbor

namespace qs::protocol {

namespace {

template<class T> qs::expected<T> decode_body(std::string_view body, std::string_view root) {
  return cbor::decode<T>(body, root, max_wire_depth);
}

} // namespace

std::string encode(const hello& m) {
  return cbor::encode(m);
}
std::string encode(const welcome& m) {
  return cbor::encode(m);
}
std::string encode(const refuse& m) {
  return cbor::encode(m);
}
std::string encode(const ready& m) {
  return cbor::encode(m);
}
std::string encode(const task& m) {
  return cbor::encode(m, m.payload.size() + 48);
}
std::string encode(const task_result& m) {
  return cbor::encode(m, m.payload.size() + 16);
}
std::string encode(const task_failure& m) {
  return cbor::encode(m);
}
std::string encode(const shard_map& m) {
  return cbor::encode(m);
}
std::string encode(const role_down& m) {
  return cbor::encode(m);
}
std::string encode(const reply& m) {
  return cbor::encode(m, m.value.size() + 16);
}

qs::expected<hello> decode_hello(std::string_view body) {
  auto m = decode_body<hello>(body, "hello");
  if (m && m->node_id.empty())
    return qs::error(wire_errc::bad_field, "hello.node_id: must not be empty");
  if (m && m->capacity < 0)
    return qs::error(wire_errc::bad_field,
                     "hello.capacity: expected an integer from 0 to 2147483647, got " +
                         std::to_string(m->capacity));
  return m;
}
qs::expected<welcome> decode_welcome(std::string_view body) {
  return decode_body<welcome>(body, "welcome");
}
qs::expected<refuse> decode_refuse(std::string_view body) {
  return decode_body<refuse>(body, "refuse");
}
qs::expected<ready> decode_ready(std::string_view body) {
  auto m = decode_body<ready>(body, "ready");
  if (m && (m->credits < 0 || m->credits > 1'000'000))
    return qs::error(wire_errc::bad_field,
                     "ready.credits: expected an integer from 0 to 1000000, got " +
                         std::to_string(m->credits));
  return m;
}
qs::expected<task> decode_task(std::string_view body) {
  return decode_body<task>(body, "task");
}
qs::expected<task_result> decode_task_result(std::string_view body) {
  return decode_body<task_result>(body, "result");
}
qs::expected<task_failure> decode_task_failure(std::string_view body) {
  return decode_body<task_failure>(body, "failed");
}
qs::expected<shard_map> decode_shard_map(std::string_view body) {
  return decode_body<shard_map>(body, "shard_map");
}
qs::expected<role_down> decode_role_down(std::string_view body) {
  return decode_body<role_down>(body, "role_down");
}
qs::expected<reply> decode_reply(std::string_view body) {
  return decode_body<reply>(body, "reply");
}

std::vector<std::string> version_refusal(std::uint16_t peer_version) {
  std::string why = version_mismatch(peer_version);
  // Version 2 reads a REFUSE's body as this build does; version 1 (and, by this
  // build's guess, any other) as the sentence in plain text.
  std::string body = peer_version == 2
                         ? encode(refuse{to_wire(qs::error(wire_errc::version_mismatch, why))})
                         : std::move(why);
  return encode(envelope{peer_version, message_type::refuse, "", std::move(body)});
}

qs::error older_refusal(std::string_view body, const qs::error& undecodable) {
  constexpr std::size_t longest = 200;
  const bool sentence =
      !body.empty() && body.size() <= longest &&
      std::all_of(body.begin(), body.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  if (!sentence)
    return undecodable;
  return qs::error(wire_errc::version_mismatch,
                   "the coordinator speaks another protocol version: \"" + std::string(body) +
                       "\"");
}

} // namespace qs::protocol
