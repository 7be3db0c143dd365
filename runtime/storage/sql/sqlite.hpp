// The SQLite back-end of the SQL layer: a connection to a database file in WAL mode.
// A writer turns WAL on and fsyncs every commit (synchronous=FULL) unless told
// NORMAL (still safe against a process crash); a reader is query_only, so a
// second connection reads while the writer commits. Statements are prepared once
// per connection and cached; text and blobs are bound without copying.
//
// Threads: see sql::connection (one thread at a time, under `mutex`).
#pragma once

#include <memory>
#include <string>

#include "runtime/storage/sql/connection.hpp"

namespace qs::runtime::storage::sql {

struct sqlite_options {
  std::string path;             ///< the database file; ":memory:" for a private one
  bool synchronous_full = true; ///< fsync every commit (else NORMAL)
  bool read_only = false;       ///< a reader: query_only, no WAL switch
  int busy_timeout_ms = 5000;
};

/// Opens (creating) the file. Errors: unavailable, "cannot open PATH: why".
expected<std::unique_ptr<connection>> open_sqlite(const sqlite_options& options);

/// True for a database that lives in one connection's memory (":memory:", or ""
/// for a private temporary file), which a second connection cannot share.
bool is_private_database(const std::string& path);

} // namespace qs::runtime::storage::sql
