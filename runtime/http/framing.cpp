#include "runtime/http/framing.hpp"

#include <algorithm>

namespace qs::runtime::http {
namespace {

constexpr std::size_t quote_limit = 64; // how much of a client's value an error quotes

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// RFC 9110 tchar.
bool is_token_char(char c) {
  return is_alpha(c) || is_digit(c) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// RFC 3986 reg-name characters: unreserved, pct-encoded ('%'), sub-delims.
bool is_reg_name_char(char c) {
  return is_alpha(c) || is_digit(c) ||
         std::string_view("-._~%!$&'()*+,;=").find(c) != std::string_view::npos;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  out += s.substr(0, quote_limit);
  if (s.size() > quote_limit)
    out += "...";
  return out + "\"";
}

framing_error bad(std::string message) {
  return {400, "bad_request", std::move(message)};
}

bool valid_port(std::string_view port) {
  return port.size() <= 5 && std::all_of(port.begin(), port.end(), is_digit);
}

// uri-host [ ":" port ], or empty.
bool valid_authority(std::string_view value) {
  if (value.empty())
    return true;
  if (value.front() == '[') { // IP-literal
    auto close = value.find(']');
    if (close == std::string_view::npos || close < 2)
      return false;
    auto inside = value.substr(1, close - 1);
    for (char c : inside)
      if (!(is_digit(c) || is_alpha(c) || c == ':' || c == '.'))
        return false;
    auto rest = value.substr(close + 1);
    return rest.empty() || (rest.front() == ':' && valid_port(rest.substr(1)));
  }
  auto colon = value.find(':');
  auto host = value.substr(0, colon);
  if (host.empty() || !std::all_of(host.begin(), host.end(), is_reg_name_char))
    return false;
  return colon == std::string_view::npos || valid_port(value.substr(colon + 1));
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size())
    return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (lower(s[i]) != prefix[i])
      return false;
  return true;
}

} // namespace

std::optional<framing_error> check_transfer_encoding(const std::vector<std::string>& values,
                                                     bool has_content_length,
                                                     unsigned http_version) {
  if (values.empty())
    return std::nullopt;
  if (http_version < 11)
    return bad("Transfer-Encoding is not allowed in an HTTP/1.0 request");
  std::vector<std::string> codings;
  for (const auto& value : values) {
    std::string_view rest = value;
    while (true) {
      auto comma = rest.find(',');
      auto element = trim(rest.substr(0, comma));
      if (!element.empty()) {
        auto semi = element.find(';');
        auto name = trim(element.substr(0, semi));
        if (name.empty() || !std::all_of(name.begin(), name.end(), is_token_char))
          return bad("malformed Transfer-Encoding " + quoted(value));
        std::string coding;
        for (char c : name)
          coding += lower(c);
        if (coding == "chunked" && semi != std::string_view::npos)
          return bad("the chunked transfer coding takes no parameters");
        codings.push_back(std::move(coding));
      }
      if (comma == std::string_view::npos)
        break;
      rest.remove_prefix(comma + 1);
    }
  }
  if (codings.empty())
    return bad("empty Transfer-Encoding");
  if (codings.back() != "chunked")
    return bad("a request's Transfer-Encoding must end with chunked, got " +
               quoted(codings.back()));
  if (std::count(codings.begin(), codings.end(), "chunked") > 1)
    return bad("chunked is applied more than once in Transfer-Encoding");
  if (has_content_length)
    return bad("a request may not carry both Transfer-Encoding and Content-Length");
  if (codings.size() > 1)
    return framing_error{501, "not_implemented",
                         "transfer coding " + quoted(codings.front()) +
                             " is not supported; send the body chunked or with Content-Length"};
  return std::nullopt;
}

std::optional<framing_error> check_host(const std::vector<std::string>& values,
                                        unsigned http_version) {
  if (values.size() > 1)
    return bad("more than one Host header");
  if (values.empty())
    return http_version >= 11 ? std::optional(bad("an HTTP/1.1 request needs a Host header"))
                              : std::nullopt;
  if (!valid_authority(trim(values.front())))
    return bad("malformed Host header " + quoted(values.front()));
  return std::nullopt;
}

std::variant<target_form, framing_error> origin_form(std::string_view target,
                                                     std::string_view method) {
  if (!target.empty() && target.front() == '/')
    return target_form{std::string(target), {}};
  if (target == "*") {
    if (method != "OPTIONS")
      return bad("the request target * is for OPTIONS only");
    return target_form{"*", {}};
  }
  std::size_t scheme = 0;
  if (starts_with_nocase(target, "http://"))
    scheme = 7;
  else if (starts_with_nocase(target, "https://"))
    scheme = 8;
  if (scheme == 0)
    return bad("the request target must be a path (/...) or an absolute http URL, got " +
               quoted(target));
  auto rest = target.substr(scheme);
  auto end = rest.find_first_of("/?#");
  auto authority = rest.substr(0, end);
  if (authority.empty() || !valid_authority(authority))
    return bad("malformed authority in the request target " + quoted(target));
  std::string origin(end == std::string_view::npos ? std::string_view{} : rest.substr(end));
  origin = origin.substr(0, origin.find('#'));
  if (origin.empty() || origin.front() != '/')
    origin.insert(0, "/");
  return target_form{std::move(origin), std::string(authority)};
}

} // namespace qs::runtime::http
