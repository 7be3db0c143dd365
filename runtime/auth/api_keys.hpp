// API keys for the bridge, loaded from a file (`--api-keys FILE`), one key a line:
//
//   # key                                      name      role   [rate/s] [burst]
//   sha256:9f86d081884c7d659a2feaa0c55ad015...  scorpius  user   200      400
//   sha256:60303ae22b998861bce3b28f33eec1be...  ops       admin
//
// A key is kept as the SHA-256 of the secret (`qscan api-key new` writes such
// lines; `qscan api-key hash` turns a secret into one). A secret written in
// clear text (16 characters at least) is still accepted, with a warning, and
// hashed as it is read: the process never keeps a key in clear text. Role
// `admin` may also train models and read the cluster's membership. Rate and
// burst set the key's token bucket (default 100/s, burst 200; 0 = unlimited).
// A key is compared against every entry in constant time.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/auth/digest.hpp"
#include "runtime/auth/errc.hpp"
#include "runtime/expected.hpp"

namespace qs::runtime::auth {

struct api_key {
  std::string name;
  bool admin = false;
  double rate_per_second = 100;
  double burst = 200;
  sha256_digest digest{};
  std::string id; ///< first 16 hex digits of the digest: names the key in logs and scopes
};

class key_table {
public:
  /// The entry for a presented secret, or null. Looks at every entry whatever
  /// matches, comparing digests in constant time. Thread-safe (const).
  const api_key* find(std::string_view secret) const;
  bool add(api_key key); ///< false when the same key is already present
  std::size_t size() const { return keys_.size(); }

private:
  std::vector<api_key> keys_;
};

struct loaded_keys {
  key_table table;
  std::vector<std::string> warnings; ///< "keys:3: key in clear text; ..."
};

/// Parses key-file text; `source` names it in errors ("keys.txt"). An error is
/// errc::malformed with a sentence naming the line; it never quotes a key.
qs::expected<loaded_keys> parse_api_keys(std::string_view text, const std::string& source);
/// Reads and parses the key file at `path`: errc::unreadable when it cannot be
/// read, else as parse_api_keys.
qs::expected<loaded_keys> load_api_keys(const std::string& path);

/// "sha256:<64 hex>" for a secret: the form the key file keeps.
std::string hashed_key_entry(std::string_view secret);

/// A new random secret: "qsk_" and 64 hex digits (256 bits from the OS).
std::string generate_secret();

/// The key from "Authorization: Bearer KEY" or "X-API-Key: KEY"; "" when none.
std::string presented_key(std::string_view authorization, std::string_view x_api_key);

} // namespace qs::runtime::auth
