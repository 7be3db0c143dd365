#include "runtime/cluster/curve_keys.hpp"

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <system_error>

#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include "runtime/cluster/key_file.hpp"

namespace qs::runtime::cluster {

namespace {

std::string join(const std::string& dir, const char* name) {
  return dir.empty() || dir.back() == '/' ? dir + name : dir + "/" + name;
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

qs::expected<std::string> read_key(const std::string& file, const char* what) {
  auto line = detail::read_key_line(file);
  if (!line)
    return line;
  return key_of(*line, file, what);
}

} // namespace

qs::expected<std::string> key_of(std::string_view line, const std::string& file, const char* what) {
  if (!is_z85_key(line))
    return qs::error(errc::bad_key,
                     file + " does not hold a " + what + " (expected 40 Z85 characters)");
  return std::string(line);
}

bool is_z85_key(std::string_view text) {
  if (text.size() != 40)
    return false;
  const std::string z85(text); // zmq_z85_decode wants a terminated string
  std::uint8_t binary[32];
  return zmq_z85_decode(binary, z85.c_str()) != nullptr;
}

std::string node_id_from_key(std::string_view public_key) {
  std::uint64_t hash = 14695981039346656037ull; // FNV-1a 64
  for (char c : public_key) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  constexpr char digits[] = "0123456789abcdef";
  std::string id = "node-";
  for (int shift = 60; shift >= 16; shift -= 4) // the top 12 hex digits
    id += digits[(hash >> shift) & 0xf];
  return id;
}

qs::expected<key_pair> generate_keys(const std::string& dir, bool force) {
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) {
    std::filesystem::create_directories(dir, ec);
    if (ec)
      return qs::error(errc::io, "cannot create key directory " + dir + ": " + ec.message());
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  }
  const std::string secret_file = join(dir, "node.key");
  const std::string public_file = join(dir, "node.pub");
  if (!force)
    for (const auto& file : {secret_file, public_file})
      if (exists(file))
        return qs::error(errc::exists,
                         "refusing to overwrite " + file + " (pass --force to replace the key)");

  char public_z85[41] = {};
  char secret_z85[41] = {};
  if (zmq_curve_keypair(public_z85, secret_z85) != 0)
    return qs::error(errc::setup_failed,
                     std::string("cannot generate a CURVE key pair: ") + zmq_strerror(zmq_errno()));
  key_pair keys{public_z85, secret_z85};

  const auto existing = force ? detail::on_existing::replace : detail::on_existing::refuse;
  auto written = detail::write_key_file(secret_file, keys.secret_key + "\n", 0600, existing);
  if (!written)
    return written.error();
  written = detail::write_key_file(public_file, keys.public_key + "\n", 0644, existing);
  if (!written) {
    ::unlink(secret_file.c_str()); // never leave a secret without its public half
    return written.error();
  }
  return keys;
}

qs::expected<key_pair> load_keys(const std::string& dir) {
  const std::string secret_file = join(dir, "node.key");
  const std::string public_file = join(dir, "node.pub");
  auto secret = read_key(secret_file, "CURVE secret key");
  if (!secret)
    return secret.error();
  auto public_key = read_key(public_file, "CURVE public key");
  if (!public_key)
    return public_key.error();
  char derived[41] = {};
  if (zmq_curve_public(derived, secret->c_str()) != 0)
    return qs::error(errc::bad_key, std::string("cannot derive the public key of ") + secret_file +
                                        ": " + zmq_strerror(zmq_errno()));
  if (*public_key != derived)
    return qs::error(errc::bad_key, public_file + " does not match " + secret_file);
  return key_pair{*public_key, *secret};
}

qs::expected<std::string> load_public_key(const std::string& file) {
  return read_key(file, "CURVE public key");
}

} // namespace qs::runtime::cluster
