// The PostgreSQL back-end of the SQL layer (libpq): one session per connection.
// Statements are prepared once per session (?N placeholders become $N) and run
// with text parameters (blobs as binary bytea), so values are never spliced into
// SQL. Commits are durable: synchronous_commit is at least on. A lost connection
// is reset, once, by the next statement that starts a transaction or runs alone
// (then that statement runs again); inside a transaction it is an error.
//
// Threads: see sql::connection (one thread at a time, under `mutex`).
#pragma once

#include <memory>
#include <string>

#include "runtime/storage/sql/connection.hpp"

namespace qs::runtime::storage::sql {

/// Connects with `conninfo` (a postgresql:// URL or "key=value ..." string); a
/// `read_only` session defaults to read-only transactions. Errors: unavailable,
/// "postgresql: cannot connect to host=H port=P dbname=D: why".
expected<std::unique_ptr<connection>> open_postgres(const std::string& conninfo, bool read_only);

} // namespace qs::runtime::storage::sql
