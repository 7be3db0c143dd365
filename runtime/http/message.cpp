// Request accessors and the JSON error body: the parts of the HTTP layer that
// need no Beast, kept here so connection.cpp stays about the connection machinery.
#include "runtime/http/message.hpp"

#include "runtime/hex.hpp"

#include <atomic>
#include <cstdio>
#include <random>

#include "protocol/json_writer.hpp"
#include "runtime/http/server.hpp"

namespace qs::runtime::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i]))
      return false;
  }
  return true;
}

} // namespace

std::string percent_decode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+' && plus_as_space) {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && runtime::hex_value(text[i + 1]) >= 0 &&
               runtime::hex_value(text[i + 2]) >= 0) {
      out +=
          static_cast<char>(runtime::hex_value(text[i + 1]) * 16 + runtime::hex_value(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string_view request::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (iequals(key, name))
      return value;
  return {};
}

std::string_view request::path() const {
  std::string_view t = target;
  return t.substr(0, t.find('?'));
}

std::string request::query_param(std::string_view name) const {
  std::string_view t = target;
  auto question = t.find('?');
  if (question == std::string_view::npos)
    return {};
  std::string_view query = t.substr(question + 1);
  query = query.substr(0, query.find('#'));
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    auto eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    if (percent_decode(key, true) == name)
      return eq == std::string_view::npos ? std::string{}
                                          : percent_decode(pair.substr(eq + 1), true);
  }
  return {};
}

std::string next_request_id() {
  // A random prefix per process keeps ids unique across restarts; stored
  // batches are deduplicated by this id.
  static const std::string prefix = [] {
    std::random_device entropy;
    char buf[24];
    std::snprintf(buf, sizeof buf, "%08x%08x", entropy(), entropy());
    return std::string(buf);
  }();
  static std::atomic<std::uint64_t> counter{0};
  return "req-" + prefix + "-" + std::to_string(++counter);
}

std::string error_body(std::string_view code, std::string_view message) {
  std::string out = R"({"error":{"code":)";
  protocol::append_json_string(out, code);
  out += R"(,"message":)";
  protocol::append_json_string(out, message);
  out += R"(,"details":[]}})";
  return out;
}

} // namespace qs::runtime::http
