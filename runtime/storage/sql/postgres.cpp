#include "runtime/storage/sql/postgres.hpp"

#include <cctype>
#include <charconv>
#include <cstring>
#include <map>

#include <libpq-fe.h>

#include "runtime/hex.hpp"

namespace qs::runtime::storage::sql {

namespace {

struct result_clear {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using pg_result = std::unique_ptr<PGresult, result_clear>;

constexpr Oid bytea_oid = 17;
/// Held until the transaction ends: writers of every process take it, so entry ids
/// increase in commit order (the history cursor relies on it).
constexpr const char* write_lock = "SELECT pg_advisory_xact_lock(7173636116)";

/// The first line of libpq's message without its decorations: "connection refused".
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

void ignore_notice(void*, const char*) {}

std::string cannot_connect(PGconn* conn) {
  if (conn == nullptr)
    return "postgresql: cannot connect: out of memory";
  return "postgresql: cannot connect to " + describe(conn) + ": " + reason(PQerrorMessage(conn));
}

/// `sql` with ?N placeholders as $N (outside quoted literals).
std::string numbered(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  bool quoted = false;
  for (char c : sql) {
    if (c == '\'')
      quoted = !quoted;
    out.push_back(!quoted && c == '?' ? '$' : c);
  }
  return out;
}

/// A bytea column in text form ("\x0aff...") as its bytes.
std::string bytea_bytes(const char* text, std::size_t size) {
  if (size < 2 || text[0] != '\\' || text[1] != 'x')
    return std::string(text, size);
  return hex_to_bytes(std::string_view(text + 2, size - 2)).value_or(std::string());
}

class pg_connection final : public connection {
public:
  pg_connection(PGconn* conn, bool read_only) : conn_(conn), read_only_(read_only) {}
  ~pg_connection() override { PQfinish(conn_); }

  sql::dialect dialect() const override { return sql::dialect::postgresql; }
  std::string where() const override { return "postgresql " + describe(conn_); }

  expected<rows> query(std::string_view sql, const params& values) override {
    auto result = run_alone(sql, values);
    if (!result)
      return result.error();
    const PGresult* r = result->get();
    rows out;
    const int columns = PQnfields(r);
    for (int row = 0; row < PQntuples(r); ++row) {
      std::vector<rows::cell> cells(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(r, row, c))
          continue;
        const char* text = PQgetvalue(r, row, c);
        const auto size = static_cast<std::size_t>(PQgetlength(r, row, c));
        cells[static_cast<std::size_t>(c)] =
            PQftype(r, c) == bytea_oid ? bytea_bytes(text, size) : std::string(text, size);
      }
      out.add(std::move(cells));
    }
    return out;
  }

  expected<std::int64_t> execute(std::string_view sql, const params& values) override {
    auto result = run_alone(sql, values);
    if (!result)
      return result.error();
    const char* text = PQcmdTuples(result->get());
    std::int64_t n = 0;
    std::from_chars(text, text + std::strlen(text), n);
    return n;
  }

  expected<void> begin(access mode) override {
    const char* sql =
        mode == access::write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    if (auto begun = first(sql, {}); !begun)
      return begun.error();
    if (mode == access::write)
      if (auto locked = run(write_lock, {}); !locked) {
        rollback();
        return locked.error();
      }
    return {};
  }

  expected<void> commit() override {
    if (auto done = run("COMMIT", {}); !done)
      return done.error();
    return {};
  }

  void rollback() noexcept override {
    const auto status = PQtransactionStatus(conn_);
    if (status == PQTRANS_INTRANS || status == PQTRANS_INERROR)
      pg_result(PQexec(conn_, "ROLLBACK"));
  }

  expected<void> set_up_session() {
    // Commits wait for the WAL flush: "on" is the server default, but a server set
    // to "off" would lose acknowledged writes in a crash. Stronger settings stay.
    auto setting = run("SELECT current_setting('synchronous_commit')", {});
    if (!setting)
      return setup_failed(setting.error());
    if (std::string(PQgetvalue(setting->get(), 0, 0)) == "off")
      if (auto set = run("SET synchronous_commit TO on", {}); !set)
        return setup_failed(set.error());
    if (read_only_)
      if (auto set = run("SET default_transaction_read_only TO on", {}); !set)
        return setup_failed(set.error());
    return {};
  }

private:
  bool in_transaction() const {
    const auto status = PQtransactionStatus(conn_);
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
  }

  /// A statement outside a transaction may reset a lost connection and run again.
  expected<pg_result> run_alone(std::string_view sql, const params& values) {
    return in_transaction() ? run(sql, values) : first(sql, values);
  }

  /// A statement that is safe to repeat: resets the connection, at most once, when
  /// it is down or when the statement finds it broken, then runs it again.
  expected<pg_result> first(std::string_view sql, const params& values) {
    bool reset = false;
    if (PQstatus(conn_) != CONNECTION_OK) {
      if (auto again = reset_once(); !again)
        return again.error();
      reset = true;
    }
    auto result = run(sql, values);
    if (result || reset || PQstatus(conn_) == CONNECTION_OK)
      return result;
    if (auto again = reset_once(); !again)
      return again.error();
    return run(sql, values);
  }

  expected<void> reset_once() {
    PQreset(conn_);
    prepared_.clear(); // the server forgot them with the session
    if (PQstatus(conn_) != CONNECTION_OK)
      return qs::error(errc::unavailable, cannot_connect(conn_));
    return set_up_session();
  }

  qs::error setup_failed(const qs::error& why) const {
    return {errc::unavailable,
            "postgresql: cannot set up the session on " + describe(conn_) + ": " + why.message};
  }

  qs::error failed(const PGresult* result) const {
    const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    const std::string why = primary != nullptr ? primary : reason(PQerrorMessage(conn_));
    if (PQstatus(conn_) != CONNECTION_OK)
      return {errc::unavailable,
              "postgresql: lost the connection to " + describe(conn_) + ": " + why};
    return {errc::unavailable, "postgresql: " + why};
  }

  /// The name of `sql` prepared in this session (prepared on first use).
  expected<const std::string*> prepared(std::string_view sql, const params& values) {
    if (auto found = prepared_.find(sql); found != prepared_.end())
      return &found->second;
    std::vector<Oid> types;
    for (const auto& v : values.values())
      types.push_back(v.type == params::kind::blob ? bytea_oid : 0);
    std::string name = "qs" + std::to_string(prepared_.size() + 1);
    pg_result result(PQprepare(conn_, name.c_str(), numbered(sql).c_str(),
                               static_cast<int>(types.size()), types.data()));
    if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK)
      return failed(result.get());
    return &prepared_.emplace(std::string(sql), std::move(name)).first->second;
  }

  expected<pg_result> run(std::string_view sql, const params& values) {
    const auto& list = values.values();
    std::vector<std::string> texts(list.size());
    std::vector<const char*> pointers(list.size(), nullptr);
    std::vector<int> lengths(list.size(), 0);
    std::vector<int> formats(list.size(), 0);
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto& v = list[i];
      if (v.type == params::kind::null)
        continue;
      if (v.type == params::kind::blob) {
        pointers[i] = v.bytes.data();
        lengths[i] = static_cast<int>(v.bytes.size());
        formats[i] = 1;
        continue;
      }
      if (v.type == params::kind::text && v.bytes.find('\0') != std::string_view::npos)
        return qs::error(errc::invalid_argument,
                         "parameter $" + std::to_string(i + 1) +
                             " holds a NUL byte, which PostgreSQL text cannot store");
      texts[i] = v.type == params::kind::integer ? std::to_string(v.number) : std::string(v.bytes);
      pointers[i] = texts[i].c_str();
    }
    auto name = prepared(sql, values);
    if (!name)
      return name.error();
    pg_result result(PQexecPrepared(conn_, (*name)->c_str(), static_cast<int>(list.size()),
                                    pointers.data(), lengths.data(), formats.data(), 0));
    const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
      return result;
    return failed(result.get());
  }

  PGconn* conn_;
  const bool read_only_;
  std::map<std::string, std::string, std::less<>> prepared_; // GUARDED_BY(mutex)
};

} // namespace

expected<std::unique_ptr<connection>> open_postgres(const std::string& conninfo, bool read_only) {
  // `conninfo` is expanded in place of dbname: what it sets wins over the defaults
  // before it; client_encoding after it always applies (our text is UTF-8).
  const char* const keywords[] = {"connect_timeout", "fallback_application_name", "dbname",
                                  "client_encoding", nullptr};
  const char* const values[] = {"10", "qscan", conninfo.c_str(), "UTF8", nullptr};
  PGconn* raw = PQconnectdbParams(keywords, values, 1);
  if (raw == nullptr || PQstatus(raw) != CONNECTION_OK) {
    const std::string why = cannot_connect(raw);
    PQfinish(raw);
    return qs::error(errc::unavailable, why);
  }
  PQsetNoticeProcessor(raw, ignore_notice, nullptr); // kept across PQreset
  auto c = std::make_unique<pg_connection>(raw, read_only);
  if (auto ready = c->set_up_session(); !ready)
    return ready.error();
  return std::unique_ptr<connection>(std::move(c));
}

} // namespace qs::runtime::storage::sql
