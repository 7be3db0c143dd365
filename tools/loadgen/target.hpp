#pragma once
// The load target: a loopback-only http:// URL turned into a socket address, plus the fixed
// request bytes that every scheduled request sends.

#include <string>

#include <sys/socket.h>

namespace qs::loadgen {

struct Target {
  sockaddr_storage address{};
  socklen_t address_length = 0;
  std::string host_header; // "127.0.0.1:8080" or "[::1]:8080"
  std::string path;        // "/ai-threat-predictor/predict"
};

// Parses http://HOST[:PORT][/PATH]. HOST must be in 127.0.0.0/8, ::1 (as [::1]) or
// "localhost"; anything else throws std::invalid_argument with a message for the user.
Target parse_loopback_url(const std::string& url);

// One keep-alive HTTP/1.1 request; with a body it carries Content-Type and Content-Length.
std::string build_request(const Target& target, const std::string& method, const std::string& body,
                          const std::string& content_type);

} // namespace qs::loadgen
