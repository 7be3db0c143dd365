// Reads what a TLS server sends in answer to a ClientHello: records as they
// arrive (split across reads or several in one), handshake messages across
// records (fragmented or coalesced), alerts, and the point where TLS 1.3 (or a
// ChangeCipherSpec) turns the rest into ciphertext. Bytes that are not TLS
// (an HTTP answer, SSH banner, garbage) are recognised as such.
//
// Pure; one reader per connection. Not thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace qs::scanner::tls {

struct handshake_message {
  std::uint8_t type = 0; ///< 2 server_hello, 11 certificate, 12 server_key_exchange, 14 done...
  std::string body;
};

struct tls_alert {
  std::uint8_t level = 0;       ///< 1 warning, 2 fatal
  std::uint8_t description = 0; ///< 40 handshake_failure, 70 protocol_version, ...
};

/// "handshake_failure", "protocol_version", ...; "alert 123" for others.
std::string alert_name(std::uint8_t description);

class handshake_reader {
public:
  void feed(std::string_view bytes);

  /// The next whole handshake message read so far, in order.
  std::optional<handshake_message> next();

  /// The first alert the server sent, if any.
  const std::optional<tls_alert>& alert() const { return alert_; }
  /// Set when the bytes are not TLS records (with why: "not TLS: ...").
  const std::string& error() const { return error_; }
  /// The server went on in ciphertext (ChangeCipherSpec, or application data).
  bool encrypted() const { return encrypted_; }
  /// The record-layer version of the first record.
  std::uint16_t record_version() const { return record_version_; }

private:
  void parse_records();

  std::string pending_;   ///< bytes not yet a whole record
  std::string handshake_; ///< handshake bytes not yet a whole message
  std::deque<handshake_message> messages_;
  std::optional<tls_alert> alert_;
  std::string error_;
  bool encrypted_ = false;
  std::uint16_t record_version_ = 0;
};

} // namespace qs::scanner::tls
