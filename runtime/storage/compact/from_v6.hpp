// The data step of migration 7 (migrations.cpp): today's rows carried into the
// compact tables. Each entry of `entries_v6` becomes an entry of `entries` with
// the same id (so a cursor handed out before still pages on), its asset named in
// `assets` and its texts packed as a head of its own; each idempotent answer of
// `idempotent_answers` becomes an answer with its body kept whole. The old
// tables are dropped afterwards. Runs in the migration's transaction, a chunk of
// rows at a time.
#pragma once

#include "runtime/storage/sql/connection.hpp"

namespace qs::runtime::storage::compact {

expected<void> carry_v6_rows(sql::connection& c);

} // namespace qs::runtime::storage::compact
