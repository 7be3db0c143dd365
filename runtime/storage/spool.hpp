// The bridge's durable spool (ARCHITECTURE.md §5): degraded answers given while the
// cluster could not store them wait here, one encoded write batch per row, until they
// are replayed into the cluster and removed. An SQLite file of its own in the node's
// folder (synchronous=FULL, WAL), so an entry acknowledged by `append` survives a
// crash; it is not cluster state, and must work while the cluster is down.
//
// Threads: every method may be called from any thread; calls are serialised.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/expected.hpp"
#include "runtime/storage/errc.hpp"

namespace qs::runtime::storage {

namespace sql {
class connection;
}

struct spooled {
  std::int64_t id = 0;
  std::string body; ///< bytes, as appended
};

class spool {
public:
  /// Opens (creating) the spool file. Errors: unavailable, "cannot open <path>: <why>".
  static expected<std::unique_ptr<spool>> open(const std::string& path);
  ~spool();

  /// Stores `body` durably; its id once it is.
  expected<std::int64_t> append(const std::string& body);

  /// Up to `limit` entries, oldest first.
  expected<std::vector<spooled>> oldest(std::size_t limit);

  /// Removes an entry (replayed); true when it was there.
  expected<bool> remove(std::int64_t id);

  /// How many entries wait.
  expected<std::int64_t> size();

private:
  explicit spool(std::unique_ptr<sql::connection> db);
  std::unique_ptr<sql::connection> db_;
};

} // namespace qs::runtime::storage
