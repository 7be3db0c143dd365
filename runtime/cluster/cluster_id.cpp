#include "runtime/cluster/cluster_id.hpp"

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "runtime/storage/errc.hpp"

namespace qs::runtime::cluster {

namespace {

using storage::errc;

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.pop_back();
  return text;
}

} // namespace

std::string new_cluster_id() {
  std::random_device random;
  char id[32];
  std::snprintf(id, sizeof id, "qc-%08x%08x%08x", static_cast<unsigned>(random()),
                static_cast<unsigned>(random()), static_cast<unsigned>(random()));
  return id;
}

bool valid_cluster_id(const std::string& id) {
  if (id.empty() || id.size() > 64)
    return false;
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
      return false;
  return true;
}

expected<std::string> coordinator_cluster_id(const std::string& data_dir,
                                             const std::optional<std::string>& given) {
  const auto file = std::filesystem::path(data_dir) / "cluster-id";
  if (given && !valid_cluster_id(*given))
    return qs::error(errc::invalid_argument,
                     "--cluster-id \"" + *given +
                         "\": use 1 to 64 letters, digits, \"-\", \"_\" or \".\"");
  std::string kept;
  if (std::ifstream in(file); in) {
    std::getline(in, kept);
    kept = trimmed(kept);
    if (!valid_cluster_id(kept))
      return qs::error(errc::corrupt, file.string() + " does not hold a cluster id (\"" + kept +
                                          "\"); remove it and start with --cluster-id ID");
  }
  if (!kept.empty()) {
    if (given && *given != kept)
      return qs::error(errc::refused, "--cluster-id " + *given + ": this coordinator's folder " +
                                          data_dir + " belongs to cluster " + kept);
    return kept;
  }
  const std::string id = given ? *given : new_cluster_id();
  const auto temporary = file.string() + ".new";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << id << "\n";
    if (!out.flush())
      return qs::error(errc::unavailable, "cannot write " + temporary);
  }
  std::error_code ec;
  std::filesystem::rename(temporary, file, ec);
  if (ec)
    return qs::error(errc::unavailable, "cannot write " + file.string() + ": " + ec.message());
  return id;
}

} // namespace qs::runtime::cluster
