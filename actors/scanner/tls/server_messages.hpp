// Parses the server's handshake messages a probe reads in the clear: the
// ServerHello (or HelloRetryRequest, recognised by its fixed random), and in
// TLS 1.2 and earlier the Certificate and ServerKeyExchange. Errors are values
// naming what was malformed.
//
// Pure functions; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace qs::scanner::tls {

struct server_hello {
  std::uint16_t legacy_version = 0;
  bool hello_retry = false; ///< a HelloRetryRequest (RFC 8446 4.1.3)
  std::uint16_t cipher_suite = 0;
  std::uint8_t compression = 0;
  std::optional<std::uint16_t> selected_version; ///< supported_versions
  std::optional<std::uint16_t> group;            ///< key_share's group, or HRR's selected_group
  std::vector<std::uint16_t> extensions;         ///< types, in order
  std::string alpn;

  /// The version in use: supported_versions when present, else legacy_version.
  std::uint16_t version() const { return selected_version.value_or(legacy_version); }
};

std::variant<server_hello, std::string> parse_server_hello(std::string_view body);

/// The DER certificates of a TLS 1.2 (or earlier) Certificate message, leaf first.
std::variant<std::vector<std::string>, std::string> parse_certificate_list(std::string_view body);

struct server_key_exchange {
  std::optional<std::uint16_t> named_curve;      ///< ECDHE
  std::string dh_prime;                          ///< DHE: p, big-endian
  std::optional<std::uint16_t> signature_scheme; ///< TLS 1.2 only
};

/// `key_exchange` is the suite's ("ECDHE", "DHE", ...); `version` the one in use.
std::variant<server_key_exchange, std::string>
parse_server_key_exchange(std::string_view body, std::string_view key_exchange,
                          std::uint16_t version);

} // namespace qs::scanner::tls
