// CURVE key files for a node (`qscan keys gen`): a key directory holds
//
//   node.key   the secret key, Z85 (40 characters) and a newline; mode 0600
//   node.pub   the public key, Z85 and a newline; safe to share
//
// Files are written to a temporary name created with mode 0600 and then linked or
// renamed into place, so a reader never sees half a key and the secret is never
// readable by others, not even for a moment. Key files may hold `#` comment lines
// and blank lines; the first other line is the key.
//
// Errors are values: sentences that name the file ("cannot read keys/node.key: No
// such file or directory"). Free functions with no shared state; any thread may
// call them (two concurrent `generate_keys` into one directory: one wins).
#pragma once

#include <string>
#include <string_view>

#include "runtime/cluster/errc.hpp"
#include "runtime/expected.hpp"

namespace qs::runtime::cluster {

struct key_pair {
  std::string public_key; ///< Z85, 40 characters
  std::string secret_key; ///< Z85, 40 characters
};

/// Generates a new pair with zmq_curve_keypair and writes dir/node.key and dir/node.pub,
/// creating `dir` (mode 0700) if needed. Refuses when either file exists, unless `force`.
qs::expected<key_pair> generate_keys(const std::string& dir, bool force = false);

/// Reads dir/node.key and dir/node.pub and checks that the public key belongs to the
/// secret one.
qs::expected<key_pair> load_keys(const std::string& dir);

/// Reads one public key file (node.pub, or an allow-list entry).
qs::expected<std::string> load_public_key(const std::string& file);

/// A key file's key line checked to be a Z85 key (`what` names it in the error).
qs::expected<std::string> key_of(std::string_view line, const std::string& file, const char* what);

/// True for 40 characters of the Z85 alphabet that decode to a 32-byte key.
bool is_z85_key(std::string_view text);

/// "node-" + 12 hex digits of the FNV-1a 64 hash of the Z85 key: short, stable across
/// platforms and versions, for logs and node ids. Not a security boundary: identify
/// peers by their authenticated key (the ZAP User-Id), not by this id.
std::string node_id_from_key(std::string_view public_key);

} // namespace qs::runtime::cluster
