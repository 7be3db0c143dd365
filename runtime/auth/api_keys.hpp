// API keys for the bridge, loaded from a file (`--api-keys FILE`), one key a line:
//
//   # key                               name       role   [rate/s] [burst]
//   3f9a0c...                           scorpius   user   200      400
//   77b1e2...                           ops        admin
//
// Role `admin` may also train models and administer the cluster. Rate and
// burst set the key's token bucket (default 100/s, burst 200; 0 = unlimited).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>

namespace qs::runtime::auth {

struct api_key {
  std::string name;
  bool admin = false;
  double rate_per_second = 100;
  double burst = 200;
};

using key_table = std::map<std::string, api_key>;

/// The table, or an error sentence naming the file and line.
std::variant<key_table, std::string> load_api_keys(const std::string& path);

/// The key from "Authorization: Bearer KEY" or "X-API-Key: KEY"; "" when none.
std::string presented_key(std::string_view authorization, std::string_view x_api_key);

} // namespace qs::runtime::auth
