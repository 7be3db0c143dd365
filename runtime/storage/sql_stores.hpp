// The local stores: each concern of stores.hpp written once over the SQL layer, for
// SQLite and PostgreSQL alike. They share one database's two connections: writes
// go through the writer (one write transaction each), reads through the reader
// (its own snapshot, so reads never wait for a write in progress). A private
// SQLite database (":memory:") has no second connection: reads use the writer.
//
// Threads: any; see stores.hpp (calls block on the database).
#pragma once

#include <memory>

#include "runtime/storage/sql/connection.hpp"
#include "runtime/storage/stores.hpp"

namespace qs::runtime::storage {

struct connections {
  std::unique_ptr<sql::connection> writer;
  std::unique_ptr<sql::connection> reader; ///< null: read through the writer
  sql::connection& read() { return reader ? *reader : *writer; }
};

std::shared_ptr<answer_store> sql_answer_store(std::shared_ptr<connections> db);
std::shared_ptr<history_store> sql_history_store(std::shared_ptr<connections> db);
std::shared_ptr<model_store> sql_model_store(std::shared_ptr<connections> db);
std::shared_ptr<scan_job_store> sql_scan_job_store(std::shared_ptr<connections> db);
std::shared_ptr<batch_writer> sql_batch_writer(std::shared_ptr<connections> db);

} // namespace qs::runtime::storage
