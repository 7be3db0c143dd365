#include "actors/scanner/tls/handshake_reader.hpp"

#include <cctype>

namespace qs::scanner::tls {
namespace {

constexpr std::size_t max_record = 16384 + 2048; // TLSCiphertext's upper bound
constexpr std::size_t max_message = 1 << 20;     // a certificate chain fits well below

std::uint8_t byte_at(std::string_view s, std::size_t i) {
  return static_cast<std::uint8_t>(s[i]);
}

std::string printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 16))
    out += std::isprint(static_cast<unsigned char>(c)) ? c : '.';
  return out;
}

} // namespace

std::string alert_name(std::uint8_t d) {
  switch (d) {
  case 0:
    return "close_notify";
  case 10:
    return "unexpected_message";
  case 20:
    return "bad_record_mac";
  case 22:
    return "record_overflow";
  case 40:
    return "handshake_failure";
  case 42:
    return "bad_certificate";
  case 47:
    return "illegal_parameter";
  case 50:
    return "decode_error";
  case 51:
    return "decrypt_error";
  case 70:
    return "protocol_version";
  case 71:
    return "insufficient_security";
  case 80:
    return "internal_error";
  case 86:
    return "inappropriate_fallback";
  case 90:
    return "user_canceled";
  case 109:
    return "missing_extension";
  case 110:
    return "unsupported_extension";
  case 112:
    return "unrecognized_name";
  case 120:
    return "no_application_protocol";
  }
  return "alert " + std::to_string(d);
}

void handshake_reader::feed(std::string_view bytes) {
  if (!error_.empty())
    return;
  pending_.append(bytes);
  parse_records();
}

void handshake_reader::parse_records() {
  while (error_.empty() && pending_.size() >= 5) {
    const std::string_view p = pending_;
    const auto type = byte_at(p, 0);
    const std::uint16_t version = static_cast<std::uint16_t>(byte_at(p, 1) << 8 | byte_at(p, 2));
    const std::size_t length = static_cast<std::size_t>(byte_at(p, 3) << 8 | byte_at(p, 4));
    if (type < 20 || type > 23 || byte_at(p, 1) != 3 || length > max_record) {
      error_ = "not TLS: the server sent \"" + printable(p) + "\"";
      return;
    }
    if (record_version_ == 0)
      record_version_ = version;
    if (p.size() < 5 + length)
      return;
    const auto fragment = p.substr(5, length);
    if (type == 21 && fragment.size() >= 2 && !alert_)
      alert_ = tls_alert{byte_at(fragment, 0), byte_at(fragment, 1)};
    else if (type == 20 || type == 23)
      encrypted_ = true;
    else if (type == 22 && !encrypted_)
      handshake_.append(fragment);
    pending_.erase(0, 5 + length);
    while (handshake_.size() >= 4) {
      const std::size_t size = static_cast<std::size_t>(byte_at(handshake_, 1)) << 16 |
                               static_cast<std::size_t>(byte_at(handshake_, 2)) << 8 |
                               byte_at(handshake_, 3);
      if (size > max_message) {
        error_ = "a handshake message of " + std::to_string(size) + " bytes";
        return;
      }
      if (handshake_.size() < 4 + size)
        break;
      messages_.push_back({byte_at(handshake_, 0), handshake_.substr(4, size)});
      handshake_.erase(0, 4 + size);
    }
  }
}

std::optional<handshake_message> handshake_reader::next() {
  if (messages_.empty())
    return std::nullopt;
  auto m = std::move(messages_.front());
  messages_.pop_front();
  return m;
}

} // namespace qs::scanner::tls
