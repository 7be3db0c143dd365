#include "runtime/storage/postgres_connection.hpp"

#include <cctype>
#include <charconv>
#include <cstring>

namespace qs::runtime::storage {

namespace {

/// The first line of libpq's message, without the "connection to server at
/// ... failed: " and "FATAL:  " decorations: "connection refused".
std::string reason(const std::string& message) {
  std::string text = message.substr(0, message.find('\n'));
  const std::string failed = " failed: ";
  if (const auto at = text.find(failed); at != std::string::npos)
    text.erase(0, at + failed.size());
  for (const char* severity : {"FATAL:", "ERROR:"})
    if (text.rfind(severity, 0) == 0)
      text.erase(0, std::strlen(severity));
  const auto first = text.find_first_not_of(" \t");
  const auto last = text.find_last_not_of(" \t\r");
  text = first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
  if (text.size() > 1 && std::isupper(static_cast<unsigned char>(text[0])) &&
      std::islower(static_cast<unsigned char>(text[1])))
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text.empty() ? "unknown error" : text;
}

std::string describe(PGconn* conn) {
  const auto field = [](const char* value) { return std::string(value ? value : ""); };
  std::string where = "host=" + field(PQhost(conn)) + " port=" + field(PQport(conn));
  if (const std::string db = field(PQdb(conn)); !db.empty())
    where += " dbname=" + db;
  return where;
}

/// Drops the server's notices ("relation ... already exists, skipping"),
/// which libpq would otherwise print to stderr.
void ignore_notice(void*, const char*) {}

std::string cannot_connect(PGconn* conn) {
  if (conn == nullptr)
    return "postgresql: cannot connect: out of memory";
  return "postgresql: cannot connect to " + describe(conn) + ": " + reason(PQerrorMessage(conn));
}

} // namespace

pg_params& pg_params::text(const std::string& value) {
  if (value.find('\0') != std::string::npos && problem_.empty())
    problem_ = "parameter $" + std::to_string(values_.size() + 1) +
               " holds a NUL byte, which PostgreSQL text cannot store";
  values_.push_back(value);
  nulls_.push_back(false);
  return *this;
}

pg_params& pg_params::text_or_null(const std::string& value) {
  return value.empty() ? null() : text(value);
}

pg_params& pg_params::integer(std::int64_t value) {
  return text(std::to_string(value));
}

pg_params& pg_params::null() {
  values_.emplace_back();
  nulls_.push_back(true);
  return *this;
}

std::vector<const char*> pg_params::pointers() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (std::size_t i = 0; i < values_.size(); ++i)
    out.push_back(nulls_[i] ? nullptr : values_[i].c_str());
  return out;
}

result<std::unique_ptr<pg_connection>> pg_connection::open(const std::string& conninfo,
                                                           bool read_only) {
  using out = result<std::unique_ptr<pg_connection>>;
  // `conninfo` is expanded in place of dbname: what it sets wins over the
  // defaults before it; client_encoding after it always applies (our text is UTF-8).
  const char* const keywords[] = {"connect_timeout", "fallback_application_name", "dbname",
                                  "client_encoding", nullptr};
  const char* const values[] = {"10", "qscan", conninfo.c_str(), "UTF8", nullptr};
  PGconn* raw = PQconnectdbParams(keywords, values, 1);
  if (raw == nullptr || PQstatus(raw) != CONNECTION_OK) {
    const std::string why = cannot_connect(raw);
    PQfinish(raw);
    return out::failure(why);
  }
  PQsetNoticeProcessor(raw, ignore_notice, nullptr); // kept across PQreset
  auto c = std::make_unique<pg_connection>(raw, read_only);
  if (!c->set_up_session())
    return out::failure(c->error());
  return c;
}

pg_result pg_connection::run(const std::string& sql, const pg_params& params) {
  if (!params.problem().empty()) {
    error_ = params.problem();
    return nullptr;
  }
  const auto values = params.pointers();
  pg_result result(
      PQexecParams(conn_, sql.c_str(), params.size(), nullptr, values.data(), nullptr, nullptr, 0));
  const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return result;
  const char* primary =
      result ? PQresultErrorField(result.get(), PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const std::string why = primary != nullptr ? primary : reason(PQerrorMessage(conn_));
  if (PQstatus(conn_) != CONNECTION_OK)
    error_ = "postgresql: lost the connection to " + where() + ": " + why;
  else
    error_ = why;
  return nullptr;
}

pg_result pg_connection::run_first(const std::string& sql, const pg_params& params) {
  bool reset = false;
  if (PQstatus(conn_) != CONNECTION_OK) {
    if (!reset_once())
      return nullptr;
    reset = true;
  }
  if (auto result = run(sql, params))
    return result;
  if (reset || PQstatus(conn_) == CONNECTION_OK)
    return nullptr; // a real error, or the connection failed again right after a reset
  if (!reset_once())
    return nullptr;
  return run(sql, params);
}

bool pg_connection::reset_once() {
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    error_ = cannot_connect(conn_);
    return false;
  }
  return set_up_session();
}

bool pg_connection::set_up_session() {
  // Commits wait for the WAL flush: "on" is the server default, but a server
  // configured with "off" would lose acknowledged writes in a crash. Stronger
  // settings (remote_write, remote_apply) are kept.
  auto setting = run("SELECT current_setting('synchronous_commit')");
  if (!setting)
    return fail_setup();
  if (pg_text(setting.get(), 0, 0) == "off" && !run("SET synchronous_commit TO on"))
    return fail_setup();
  // The reader only reads, as SQLite's reader is query_only.
  if (read_only_ && !run("SET default_transaction_read_only TO on"))
    return fail_setup();
  return true;
}

bool pg_connection::fail_setup() {
  error_ = "postgresql: cannot set up the session on " + where() + ": " + error_;
  return false;
}

std::int64_t pg_connection::changed_rows(const PGresult* result) {
  const char* text = PQcmdTuples(const_cast<PGresult*>(result));
  std::int64_t n = 0;
  std::from_chars(text, text + std::strlen(text), n);
  return n;
}

std::string pg_connection::where() const {
  return describe(conn_);
}

bool pg_connection::in_transaction() const {
  const auto status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

std::string pg_text(const PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column))
    return {};
  return std::string(PQgetvalue(result, row, column),
                     static_cast<std::size_t>(PQgetlength(result, row, column)));
}

std::int64_t pg_integer(const PGresult* result, int row, int column) {
  const char* text = PQgetvalue(result, row, column);
  std::int64_t n = 0;
  std::from_chars(text, text + std::strlen(text), n);
  return n;
}

} // namespace qs::runtime::storage
