#include "runtime/cluster/allow_list.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <system_error>

#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "runtime/cluster/curve_keys.hpp"
#include "runtime/cluster/key_file.hpp"

namespace qs::runtime::cluster {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view suffix = ".pub";

struct listing {
  std::string signature;          // what changes when any entry changes
  std::vector<std::string> names; // stems of the .pub files, sorted
  std::string error;              // the directory itself could not be read
  bool recent = false;            // something changed too recently to trust mtimes
};

// File times tick with the kernel's coarse clock (a few ms), so two edits within one
// tick look alike. As git does for "racily clean" entries, a listing with any time
// in the last two seconds is not trusted: the next check reads the files again.
bool is_recent(const struct stat& st) {
  struct timespec now {};
  ::clock_gettime(CLOCK_REALTIME, &now);
  return st.st_mtim.tv_sec >= now.tv_sec - 2;
}

std::string stamp(const struct stat& st) {
  return std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) + ":" +
         std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
}

std::string path_of(const std::string& dir, const std::string& name) {
  return dir + "/" + name + std::string(suffix);
}

listing list(const std::string& dir) {
  listing out;
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    out.error =
        "cannot read allow-list directory " + dir + ": " + std::generic_category().message(errno);
    out.signature = "missing";
    return out;
  }
  out.signature = stamp(st);
  out.recent = is_recent(st);
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string file = it->path().filename().string();
    if (file.size() > suffix.size() && file[0] != '.' &&
        file.compare(file.size() - suffix.size(), suffix.size(), suffix) == 0)
      out.names.push_back(file.substr(0, file.size() - suffix.size()));
  }
  if (ec)
    out.error = "cannot list allow-list directory " + dir + ": " + ec.message();
  std::sort(out.names.begin(), out.names.end());
  for (const auto& name : out.names) {
    struct stat file_st {};
    out.signature += "|" + name + "=";
    if (::stat(path_of(dir, name).c_str(), &file_st) == 0) {
      out.signature += stamp(file_st);
      out.recent = out.recent || is_recent(file_st);
    }
  }
  return out;
}

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 64 || name[0] == '.')
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

} // namespace

allow_list::allow_list(std::string dir, std::chrono::milliseconds recheck_every)
    : dir_(std::move(dir)), recheck_every_(recheck_every) {}

void allow_list::refresh_if_due() {
  const auto now = clock::now();
  if (loaded_ && now < next_check_)
    return;
  next_check_ = now + recheck_every_;
  listing current = list(dir_);
  if (loaded_ && current.signature == signature_)
    return;
  loaded_ = true;
  signature_ = current.recent ? std::string() : std::move(current.signature);
  name_by_key_.clear();
  problems_.clear();
  if (!current.error.empty())
    problems_.push_back(current.error);
  for (const auto& name : current.names) {
    auto key = load_public_key(path_of(dir_, name));
    if (!key)
      problems_.push_back(key.error().message);
    else
      name_by_key_.emplace(*key, name); // a key in two files keeps the first name
  }
}

bool allow_list::allows(const std::string& z85_public) {
  return name_of(z85_public).has_value();
}

std::optional<std::string> allow_list::name_of(const std::string& z85_public) {
  std::lock_guard lock(mutex_);
  refresh_if_due();
  auto it = name_by_key_.find(z85_public);
  if (it == name_by_key_.end())
    return std::nullopt;
  return it->second;
}

std::size_t allow_list::size() {
  std::lock_guard lock(mutex_);
  refresh_if_due();
  return name_by_key_.size();
}

std::map<std::string, std::string> allow_list::entries() {
  std::lock_guard lock(mutex_);
  refresh_if_due();
  return name_by_key_;
}

std::vector<std::string> allow_list::problems() {
  std::lock_guard lock(mutex_);
  refresh_if_due();
  return problems_;
}

qs::expected<std::string> allow(const std::string& dir, const std::string& key_or_file,
                                const std::string& name) {
  if (!valid_name(name))
    return qs::error(errc::bad_name,
                     "invalid name '" + name +
                         "': use 1-64 characters of A-Z a-z 0-9 . _ -, not starting with '.'");
  std::string key = key_or_file;
  if (!is_z85_key(key_or_file)) {
    auto loaded = load_public_key(key_or_file);
    if (!loaded)
      return loaded.error();
    key = *loaded;
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return qs::error(errc::io, "cannot create allow-list directory " + dir + ": " + ec.message());

  const listing current = list(dir);
  if (!current.error.empty())
    return qs::error(errc::io, current.error);
  for (const auto& existing : current.names) {
    auto existing_key = load_public_key(path_of(dir, existing));
    if (existing == name) {
      if (existing_key && *existing_key == key)
        return path_of(dir, name); // already there
      return qs::error(errc::exists,
                       "name '" + name + "' is already taken in " + dir + " (revoke it first)");
    }
    if (existing_key && *existing_key == key)
      return qs::error(errc::exists, "this key is already allowed as '" + existing + "' in " + dir);
  }
  return detail::write_key_file(path_of(dir, name), key + "\n", 0644, detail::on_existing::refuse);
}

qs::expected<std::vector<std::string>> revoke(const std::string& dir,
                                              const std::string& key_or_name) {
  const listing current = list(dir);
  if (!current.error.empty())
    return qs::error(errc::io, current.error);
  std::vector<std::string> doomed;
  if (is_z85_key(key_or_name))
    for (const auto& name : current.names)
      if (auto key = load_public_key(path_of(dir, name)); key && *key == key_or_name)
        doomed.push_back(path_of(dir, name));
  if (doomed.empty() && valid_name(key_or_name) &&
      std::find(current.names.begin(), current.names.end(), key_or_name) != current.names.end())
    doomed.push_back(path_of(dir, key_or_name));
  if (doomed.empty())
    return qs::error(errc::not_found,
                     "no key or name '" + key_or_name + "' on the allow-list in " + dir);
  for (const auto& file : doomed)
    if (::unlink(file.c_str()) != 0 && errno != ENOENT)
      return qs::error(errc::io,
                       "cannot remove " + file + ": " + std::generic_category().message(errno));
  return doomed;
}

qs::expected<std::string> ask_to_forget(const std::string& dir, const std::string& node_id) {
  const bool valid = !node_id.empty() && node_id.size() <= 128 && node_id[0] != '.' &&
                     std::all_of(node_id.begin(), node_id.end(), [](unsigned char c) {
                       return std::isalnum(c) || c == '.' || c == '_' || c == '-';
                     });
  if (!valid)
    return qs::error(errc::bad_name, "node ids are 1-128 characters of [A-Za-z0-9._-], not "
                                     "starting with '.'; got \"" +
                                         node_id + "\"");
  std::error_code ec;
  const auto folder = std::filesystem::path(dir) / ".forget";
  std::filesystem::create_directories(folder, ec);
  if (ec)
    return qs::error(errc::io, "cannot create " + folder.string() + ": " + ec.message());
  const auto file = folder / node_id;
  std::ofstream out(file);
  if (!out)
    return qs::error(errc::io, "cannot write " + file.string());
  return file.string();
}

std::vector<std::string> take_forget_requests(const std::string& dir) {
  std::vector<std::string> ids;
  std::error_code ec;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(dir) / ".forget", ec)) {
    ids.push_back(entry.path().filename().string());
    std::filesystem::remove(entry.path(), ec);
  }
  return ids;
}

} // namespace qs::runtime::cluster
