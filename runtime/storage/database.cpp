#include "runtime/storage/database.hpp"

#include <cctype>

#include "runtime/storage/migrations.hpp"
#include "runtime/storage/sql/postgres.hpp"
#include "runtime/storage/sql/sqlite.hpp"
#include "runtime/storage/sql_estate.hpp"

namespace qs::runtime::storage {

namespace {

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

/// The scheme of "scheme://...", or "" when `url` does not start with one (a path
/// such as "./a://b" has none: a scheme is a letter, then letters, digits, "+",
/// "-" or ".").
std::string scheme_of(const std::string& url) {
  const auto colon = url.find("://");
  if (colon == std::string::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(url[0])))
    return {};
  for (std::size_t i = 0; i < colon; ++i) {
    const auto ch = static_cast<unsigned char>(url[i]);
    if (!std::isalnum(ch) && ch != '+' && ch != '-' && ch != '.')
      return {};
  }
  return url.substr(0, colon);
}

expected<std::shared_ptr<connections>> connect(const database_options& o) {
  auto c = std::make_shared<connections>();
  if (starts_with(o.url, "postgresql://") || starts_with(o.url, "postgres://")) {
    auto writer = sql::open_postgres(o.url, false);
    if (!writer)
      return writer.error();
    auto reader = sql::open_postgres(o.url, true);
    if (!reader)
      return reader.error();
    c->writer = std::move(*writer);
    c->reader = std::move(*reader);
    return c;
  }
  std::string path = o.url;
  if (starts_with(path, "sqlite:")) {
    path.erase(0, 7);
    if (starts_with(path, "//"))
      path.erase(0, 2); // sqlite:///var/qscan.db -> /var/qscan.db
  } else if (const auto scheme = scheme_of(o.url); !scheme.empty()) {
    return qs::error(errc::invalid_argument,
                     "unsupported database URL scheme \"" + scheme +
                         "\": use sqlite:PATH, a file path, or postgresql://...");
  }
  if (path.empty())
    return qs::error(errc::invalid_argument,
                     "no database given: use sqlite:PATH, a file path, or postgresql://...");
  auto writer = sql::open_sqlite({path, o.synchronous_full, false});
  if (!writer)
    return writer.error();
  c->writer = std::move(*writer);
  if (!sql::is_private_database(path)) {
    auto reader = sql::open_sqlite({path, o.synchronous_full, true});
    if (!reader)
      return reader.error();
    c->reader = std::move(*reader);
  }
  return c;
}

} // namespace

database::database(std::shared_ptr<connections> c, sql::dialect d, std::string where, int version,
                   std::string id)
    : c_(std::move(c)), dialect_(d), where_(std::move(where)), version_(version),
      id_(std::move(id)) {}

expected<std::shared_ptr<database>> database::open(const database_options& options) {
  auto c = connect(options);
  if (!c)
    return c.error();
  auto& writer = *(*c)->writer;
  auto version = migrate(writer);
  if (!version)
    return version.error();
  std::string id;
  {
    std::lock_guard lock(writer.mutex);
    auto rows = writer.query("SELECT database_id FROM database_identity WHERE singleton = 1");
    if (!rows)
      return rows.error();
    if (rows->empty())
      return qs::error(errc::corrupt, writer.where() + " has no identity row");
    id = rows->text(0, 0);
  }
  return std::shared_ptr<database>(
      new database(std::move(*c), writer.dialect(), writer.where(), *version, std::move(id)));
}

expected<std::optional<std::string>> database::cluster_id() {
  auto& c = c_->read();
  std::lock_guard lock(c.mutex);
  auto rows = c.query("SELECT cluster_id FROM database_identity WHERE singleton = 1");
  if (!rows)
    return rows.error();
  if (rows->empty() || rows->is_null(0, 0))
    return std::optional<std::string>();
  return std::optional<std::string>(rows->text(0, 0));
}

expected<void> database::claim(const std::string& cluster) {
  auto txn = sql::transaction::begin(*c_->writer, sql::access::write);
  if (!txn)
    return txn.error();
  auto rows = (*txn)->query("SELECT cluster_id FROM database_identity WHERE singleton = 1");
  if (!rows)
    return rows.error();
  if (!rows->empty() && !rows->is_null(0, 0)) {
    if (rows->text(0, 0) == cluster)
      return {};
    return qs::error(errc::foreign_cluster, "the database " + where_ + " belongs to cluster " +
                                                rows->text(0, 0) + ", not to this cluster (" +
                                                cluster + ")");
  }
  if (auto done =
          (*txn)->execute("UPDATE database_identity SET cluster_id = ?1 WHERE singleton = 1",
                          sql::params().text(cluster));
      !done)
    return done.error();
  return txn->commit();
}

storage::stores database::stores() const {
  return {sql_answer_store(c_), sql_history_store(c_), sql_model_store(c_), sql_scan_job_store(c_),
          sql_estate_store(c_)};
}

std::shared_ptr<batch_writer> database::writer() const {
  return sql_batch_writer(c_);
}

} // namespace qs::runtime::storage
