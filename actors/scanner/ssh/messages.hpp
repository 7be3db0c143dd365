// The SSH transport messages an SSH probe reads and writes before any
// encryption (RFC 4253): the identification line, binary packets without MAC,
// KEXINIT, the client's ECDH/DH key-exchange init, and the server's reply with
// its host key, whose type and size are read from the key blob. Pure; any
// thread. Errors are values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace qs::scanner::ssh {

struct kexinit {
  std::vector<std::string> kex;
  std::vector<std::string> host_key_algorithms;
  std::vector<std::string> ciphers_client_to_server, ciphers_server_to_client;
  std::vector<std::string> macs_client_to_server, macs_server_to_client;
  std::vector<std::string> compression_client_to_server, compression_server_to_client;
};

/// Splits what the server sent first: its identification line ("SSH-2.0-...",
/// lines before it skipped) and what follows. nullopt while the line is incomplete;
/// an error when it is not SSH or goes on too long.
struct banner_split {
  std::string banner;
  std::string rest;
};
std::optional<std::variant<banner_split, std::string>> split_banner(std::string_view received);

/// Reads unencrypted binary packets from a stream of bytes.
class packet_reader {
public:
  void feed(std::string_view bytes) { buffer_.append(bytes); }
  /// The next packet's payload; nullopt while incomplete; "" with error() set when malformed.
  std::optional<std::string> next();
  const std::string& error() const { return error_; }

private:
  std::string buffer_;
  std::string error_;
};

/// A binary packet around `payload`, padded as RFC 4253 6 wants (no MAC).
std::string packet(std::string_view payload);

std::variant<kexinit, std::string> parse_kexinit(std::string_view payload);
/// Our KEXINIT: one key exchange, one host key algorithm, and the ciphers, MACs
/// and compression the server offered (so the negotiation succeeds).
std::string kexinit_payload(const std::string& kex, const std::string& host_key_algorithm,
                            const kexinit& server);

/// SSH_MSG_KEX_ECDH_INIT / SSH_MSG_KEXDH_INIT with the client's public value.
std::string kex_init_payload(std::string_view client_public, bool mpint);

struct host_key {
  std::string type; ///< the blob's: "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", ...
  int bits = 0;
  std::string blob;
};

/// The host key in a KEX_ECDH_REPLY / KEXDH_REPLY (message 31).
std::variant<host_key, std::string> parse_kex_reply(std::string_view payload);
std::variant<host_key, std::string> parse_host_key(std::string_view blob);

/// OpenSSH's "SHA256:..." fingerprint of a key blob (base64, no padding).
std::string fingerprint(std::string_view blob);

} // namespace qs::scanner::ssh
