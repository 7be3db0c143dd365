#include "target.hpp"

#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <arpa/inet.h>
#include <netinet/in.h>

namespace qs::loadgen {
namespace {

const char* const loopback_only =
    "only loopback targets are accepted (127.0.0.0/8, [::1] or localhost)";

int parse_port(const std::string& text) {
  if (text.empty() || text.size() > 5 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    throw std::invalid_argument("bad port '" + text + "'");
  }
  int port = std::atoi(text.c_str());
  if (port < 1 || port > 65535) {
    throw std::invalid_argument("port out of range: " + text);
  }
  return port;
}

} // namespace

Target parse_loopback_url(const std::string& url) {
  const std::string scheme = "http://";
  if (url.compare(0, scheme.size(), scheme) != 0) {
    throw std::invalid_argument("the URL must start with http:// (got '" + url + "')");
  }
  auto rest = url.substr(scheme.size());
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  Target target;
  target.path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (authority.find('@') != std::string::npos) {
    throw std::invalid_argument("user info in the URL is not supported");
  }

  std::string host;
  std::string port_text = "80";
  if (!authority.empty() && authority[0] == '[') {
    auto close = authority.find(']');
    if (close == std::string::npos) {
      throw std::invalid_argument("unterminated [ in '" + authority + "'");
    }
    host = authority.substr(1, close - 1);
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') {
        throw std::invalid_argument("bad host '" + authority + "'");
      }
      port_text = after.substr(1);
    }
  } else {
    auto colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string::npos) {
      port_text = authority.substr(colon + 1);
    }
  }
  int port = parse_port(port_text);
  if (host == "localhost") {
    host = "127.0.0.1";
  }

  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    if ((ntohl(v4.s_addr) >> 24) != 127) {
      throw std::invalid_argument(std::string(loopback_only) + "; got '" + host + "'");
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr = v4;
    std::memcpy(&target.address, &address, sizeof address);
    target.address_length = sizeof address;
    target.host_header = host + ":" + std::to_string(port);
  } else if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    if (!IN6_IS_ADDR_LOOPBACK(&v6)) {
      throw std::invalid_argument(std::string(loopback_only) + "; got '" + host + "'");
    }
    sockaddr_in6 address{};
    address.sin6_family = AF_INET6;
    address.sin6_port = htons(static_cast<std::uint16_t>(port));
    address.sin6_addr = v6;
    std::memcpy(&target.address, &address, sizeof address);
    target.address_length = sizeof address;
    target.host_header = "[" + host + "]:" + std::to_string(port);
  } else {
    throw std::invalid_argument(std::string(loopback_only) + "; got '" + host + "'");
  }
  return target;
}

std::string build_request(const Target& target, const std::string& method, const std::string& body,
                          const std::string& content_type) {
  std::string request = method + " " + target.path + " HTTP/1.1\r\n";
  request += "Host: " + target.host_header + "\r\n";
  request += "User-Agent: qs-loadgen\r\n";
  request += "Accept: */*\r\n";
  if (!body.empty() || method == "POST" || method == "PUT") {
    request += "Content-Type: " + content_type + "\r\n";
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n";
  request += body;
  return request;
}

} // namespace qs::loadgen
