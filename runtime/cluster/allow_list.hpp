// The cluster allow-list: a directory of `NAME.pub` files, one CURVE public key
// (Z85) each. `qscan cluster allow KEY_OR_FILE NAME` adds a file, `qscan cluster
// revoke KEY_OR_NAME` removes one; a running node picks the change up without a
// restart.
//
// `allow_list::allows` re-reads the directory when it changed: at most once per
// `recheck_every` (500 ms by default) it lists the directory and compares each
// `.pub` file's name, inode, size and mtime (and the directory's mtime) with the
// last read; while anything changed in the last two seconds it reads the files
// again regardless, since file times are coarse. It fails closed: a missing
// directory allows nobody and a file that does not hold a key allows nobody;
// `problems()` says why. Revoking stops new connections only: CURVE authenticates
// at the handshake, so a connected peer stays connected until it reconnects.
//
// Thread-safe: a mutex guards the cached table; the ZAP handler thread calls
// `allows`, any other thread may call anything.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "runtime/cluster/errc.hpp"
#include "runtime/expected.hpp"

namespace qs::runtime::cluster {

class allow_list {
public:
  using clock = std::chrono::steady_clock;

  explicit allow_list(std::string dir,
                      std::chrono::milliseconds recheck_every = std::chrono::milliseconds(500));

  /// Whether the Z85 public key is on the list (re-reading it first when due).
  bool allows(const std::string& z85_public);

  /// The name (file stem) the key is allowed under, when it is.
  std::optional<std::string> name_of(const std::string& z85_public);

  /// How many keys are allowed.
  std::size_t size();

  /// Every allowed key (Z85) with its name.
  std::map<std::string, std::string> entries();

  /// Why files or the directory were skipped at the last read ("x.pub does not hold ...").
  std::vector<std::string> problems();

  const std::string& directory() const { return dir_; }

private:
  void refresh_if_due(); // requires mutex_

  const std::string dir_;
  const std::chrono::milliseconds recheck_every_;
  std::mutex mutex_;
  bool loaded_ = false;                            // GUARDED_BY(mutex_)
  clock::time_point next_check_;                   // GUARDED_BY(mutex_)
  std::string signature_;                          // GUARDED_BY(mutex_)
  std::map<std::string, std::string> name_by_key_; // GUARDED_BY(mutex_)
  std::vector<std::string> problems_;              // GUARDED_BY(mutex_)
};

/// Adds `key_or_file` (a Z85 key, or a file holding one) as dir/NAME.pub, creating the
/// directory if needed. Names are 1-64 characters of [A-Za-z0-9._-], not starting with
/// '.'. Adding the same key under the same name again is not an error; reusing a name
/// or a key that is already taken is. Returns the file written.
qs::expected<std::string> allow(const std::string& dir, const std::string& key_or_file,
                                const std::string& name);

/// Asks the coordinator that reads `dir` to forget node `node_id` (drop it from its
/// list whatever its state): writes dir/.forget/NODE_ID, which the coordinator
/// removes once done (`take_forget_requests`). Returns the file written.
qs::expected<std::string> ask_to_forget(const std::string& dir, const std::string& node_id);

/// The node ids asked to be forgotten in `dir`, removing the requests.
std::vector<std::string> take_forget_requests(const std::string& dir);

/// Removes every file holding the key, or the file of that name. Returns the files
/// removed; an error when there was none.
qs::expected<std::vector<std::string>> revoke(const std::string& dir,
                                              const std::string& key_or_name);

} // namespace qs::runtime::cluster
