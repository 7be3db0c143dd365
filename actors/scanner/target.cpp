#include "actors/scanner/target.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace qs::scanner {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

bool valid_host(std::string_view h) {
  return !h.empty() && h.size() <= 253 && std::all_of(h.begin(), h.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
  });
}

} // namespace

std::variant<target, std::string> parse_target(std::string_view raw) {
  const auto text = trim(raw);
  const auto bad = [&](const std::string& why) {
    return why + ", got \"" + std::string(text.substr(0, 200)) + "\"";
  };
  target t;
  std::string_view rest = text;
  if (rest.rfind("file://", 0) == 0) {
    t.kind = target_kind::file;
    t.path = std::string(rest.substr(7));
    if (t.path.empty() || t.path.front() != '/')
      return bad("expected file:///ABSOLUTE/PATH");
    t.text = "file://" + t.path;
    return t;
  }
  int default_port = 443;
  if (rest.rfind("tls://", 0) == 0) {
    rest.remove_prefix(6);
  } else if (rest.rfind("ssh://", 0) == 0) {
    t.kind = target_kind::ssh;
    default_port = 22;
    rest.remove_prefix(6);
  } else if (rest.find("://") != std::string_view::npos) {
    return bad("expected tls://, ssh:// or file://");
  }
  while (!rest.empty() && rest.back() == '/')
    rest.remove_suffix(1);
  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos)
      return bad("an IPv6 address needs its closing ]");
    t.host = std::string(rest.substr(1, close - 1));
    auto after = rest.substr(close + 1);
    if (!after.empty() && after.front() != ':')
      return bad("expected :PORT after the IPv6 address");
    if (!after.empty())
      port_text = after.substr(1);
    in6_addr address{};
    if (inet_pton(AF_INET6, t.host.c_str(), &address) != 1)
      return bad("expected an IPv6 address in brackets");
  } else {
    const auto colon = rest.rfind(':');
    if (colon != std::string_view::npos && rest.find(':') != colon)
      return bad("an IPv6 address goes in brackets: [::1]:443");
    t.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos)
      port_text = rest.substr(colon + 1);
    if (!valid_host(t.host))
      return bad("expected a host name or address");
  }
  if (port_text.empty()) {
    t.port = default_port;
  } else {
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), t.port);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || t.port < 1 ||
        t.port > 65535)
      return bad("expected a port from 1 to 65535");
  }
  const bool v6 = t.host.find(':') != std::string::npos;
  t.text = std::string(t.kind == target_kind::ssh ? "ssh://" : "tls://") +
           (v6 ? "[" + t.host + "]" : t.host) + ":" + std::to_string(t.port);
  return t;
}

std::variant<std::vector<target>, std::string> parse_target_list(std::string_view text,
                                                                 const std::string& source) {
  std::vector<target> out;
  int number = 0;
  while (!text.empty()) {
    ++number;
    const auto end = text.find('\n');
    auto line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    line = trim(line.substr(0, line.find('#')));
    if (line.empty())
      continue;
    auto t = parse_target(line);
    if (auto* why = std::get_if<std::string>(&t))
      return source + ":" + std::to_string(number) + ": " + *why;
    out.push_back(std::move(std::get<target>(t)));
  }
  return out;
}

} // namespace qs::scanner
