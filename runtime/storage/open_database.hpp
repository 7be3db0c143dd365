// Opens the storage a database URL names, so a command line or a config file
// can choose the back-end:
//   sqlite:PATH (also sqlite://PATH) or a bare PATH   SQLite at PATH
//   postgresql://... or postgres://...                PostgreSQL, the URL handed to libpq as is
// Any other "scheme://" is refused with a sentence naming the accepted forms.
//
// Threads: any; each call opens connections of its own.
#pragma once

#include <memory>
#include <string>

#include "runtime/storage/storage.hpp"

namespace qs::runtime::storage {

/// `synchronous_full` applies to SQLite (fsync every commit, else NORMAL);
/// PostgreSQL commits are always durable (synchronous_commit at least on).
result<std::unique_ptr<storage>> open_database(const std::string& url, bool synchronous_full);

} // namespace qs::runtime::storage
