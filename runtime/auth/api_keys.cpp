#include "runtime/auth/api_keys.hpp"

#include <fstream>
#include <sstream>

namespace qs::runtime::auth {

std::variant<key_table, std::string> load_api_keys(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    return "cannot read API keys file " + path;
  key_table table;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (auto hash = line.find('#'); hash != std::string::npos)
      line.erase(hash);
    std::istringstream fields(line);
    std::string key, name, role;
    if (!(fields >> key))
      continue;
    const std::string where = path + ":" + std::to_string(number) + ": ";
    if (!(fields >> name >> role))
      return where + "expected KEY NAME ROLE [RATE] [BURST]";
    if (role != "user" && role != "admin")
      return where + "role must be user or admin, got " + role;
    if (key.size() < 16)
      return where + "key too short (at least 16 characters)";
    api_key k{name, role == "admin"};
    if (fields >> k.rate_per_second) {
      k.burst = 2 * k.rate_per_second;
      fields >> k.burst;
    }
    if (k.rate_per_second < 0 || k.burst < 0)
      return where + "rate and burst must not be negative";
    if (!table.emplace(key, k).second)
      return where + "duplicate key";
  }
  return table;
}

std::string presented_key(std::string_view authorization, std::string_view x_api_key) {
  constexpr std::string_view bearer = "Bearer ";
  if (authorization.size() > bearer.size() && (authorization.substr(0, bearer.size()) == bearer ||
                                               authorization.substr(0, bearer.size()) == "bearer "))
    return std::string(authorization.substr(bearer.size()));
  return std::string(x_api_key);
}

} // namespace qs::runtime::auth
