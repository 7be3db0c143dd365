// The bridge's durable spool (ARCHITECTURE.md §5): degraded answers given while the
// cluster could not store them wait here, one encoded write batch per row, until they
// are replayed into the cluster and removed. An SQLite file of its own
// (synchronous=FULL, WAL), so an entry acknowledged by `append` survives a crash.
//
// Threads: every method may be called from any thread; calls are serialised.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/result.hpp"

namespace qs::runtime::storage {

class sqlite_connection;

struct spooled {
  std::int64_t id = 0;
  std::string body;
};

class spool {
public:
  /// Opens (creating) the spool file. Errors read "cannot open <path>: <why>".
  static result<std::unique_ptr<spool>> open(const std::string& path);
  ~spool();

  /// Stores `body` durably; its id once it is.
  result<std::int64_t> append(const std::string& body);

  /// Up to `limit` entries, oldest first.
  result<std::vector<spooled>> oldest(std::size_t limit);

  /// Removes an entry (replayed). Removing one that is gone is not an error.
  result<bool> remove(std::int64_t id);

  /// How many entries wait.
  result<std::int64_t> size();

private:
  explicit spool(std::unique_ptr<sqlite_connection> db);
  std::unique_ptr<sqlite_connection> db_;
};

} // namespace qs::runtime::storage
