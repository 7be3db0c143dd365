#include "runtime/auth/api_keys.hpp"

#include "runtime/hex.hpp"

#include <fstream>
#include <random>
#include <sstream>

#include <openssl/rand.h>

namespace qs::runtime::auth {
namespace {

constexpr std::string_view hashed_prefix = "sha256:";
constexpr std::size_t min_secret = 16;

std::optional<sha256_digest> parse_digest(std::string_view hex) {
  sha256_digest d{};
  if (hex.size() != 2 * d.size())
    return std::nullopt;
  for (std::size_t i = 0; i < d.size(); ++i) {
    const int hi = runtime::hex_value(hex[2 * i]), lo = runtime::hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0)
      return std::nullopt;
    d[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return d;
}

qs::error malformed(std::string why) {
  return {errc::malformed, std::move(why)};
}

bool parse_number(const std::string& text, double& out) {
  std::istringstream in(text);
  in >> out;
  return in && in.peek() == std::char_traits<char>::eof() && out >= 0 && out < 1e9;
}

} // namespace

const api_key* key_table::find(std::string_view secret) const {
  const auto digest = sha256(secret);
  const api_key* found = nullptr;
  for (const auto& key : keys_) // no early exit: the time does not say which entry matched
    if (equal_in_constant_time(digest, key.digest))
      found = &key;
  return found;
}

bool key_table::add(api_key key) {
  for (const auto& k : keys_)
    if (k.digest == key.digest)
      return false;
  keys_.push_back(std::move(key));
  return true;
}

qs::expected<loaded_keys> parse_api_keys(std::string_view text, const std::string& source) {
  loaded_keys out;
  std::istringstream lines{std::string(text)};
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    if (auto hash = line.find('#'); hash != std::string::npos)
      line.erase(hash);
    std::istringstream fields(line);
    std::string key, name, role, rate, burst, extra;
    if (!(fields >> key))
      continue;
    const std::string where = source + ":" + std::to_string(number) + ": ";
    if (!(fields >> name >> role))
      return malformed(where + "expected KEY NAME ROLE [RATE] [BURST]");
    if (role != "user" && role != "admin")
      return malformed(where + "role must be user or admin");
    api_key k;
    k.name = name;
    k.admin = role == "admin";
    if (fields >> rate) {
      if (!parse_number(rate, k.rate_per_second))
        return malformed(where + "rate must be a number from 0 to 1e9");
      k.burst = 2 * k.rate_per_second;
      if (fields >> burst && !parse_number(burst, k.burst))
        return malformed(where + "burst must be a number from 0 to 1e9");
    }
    if (fields >> extra)
      return malformed(where + "unexpected text after the burst");
    if (key.compare(0, hashed_prefix.size(), hashed_prefix) == 0) {
      auto digest = parse_digest(std::string_view(key).substr(hashed_prefix.size()));
      if (!digest)
        return malformed(where + "expected sha256: and 64 hex digits");
      k.digest = *digest;
    } else {
      if (key.size() < min_secret)
        return malformed(where + "key too short (at least " + std::to_string(min_secret) +
                         " characters)");
      k.digest = sha256(key);
      out.warnings.push_back(where + "key of " + name +
                             " is in clear text; replace it with its digest (qscan api-key hash)");
    }
    k.id = to_hex(k.digest.data(), 8);
    if (!out.table.add(std::move(k)))
      return malformed(where + "duplicate key");
  }
  return out;
}

qs::expected<loaded_keys> load_api_keys(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return {errc::unreadable, "cannot read API keys file " + path};
  std::ostringstream text;
  text << in.rdbuf();
  return parse_api_keys(text.str(), path);
}

std::string hashed_key_entry(std::string_view secret) {
  return std::string(hashed_prefix) + to_hex(sha256(secret));
}

std::string generate_secret() {
  std::uint8_t bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) { // OpenSSL's CSPRNG failed: use the OS directly
    std::random_device os;
    for (auto& b : bytes)
      b = static_cast<std::uint8_t>(os());
  }
  return "qsk_" + to_hex(bytes, sizeof bytes);
}

std::string presented_key(std::string_view authorization, std::string_view x_api_key) {
  constexpr std::string_view bearer = "Bearer ";
  if (authorization.size() > bearer.size() && (authorization.substr(0, bearer.size()) == bearer ||
                                               authorization.substr(0, bearer.size()) == "bearer "))
    return std::string(authorization.substr(bearer.size()));
  return std::string(x_api_key);
}

} // namespace qs::runtime::auth
