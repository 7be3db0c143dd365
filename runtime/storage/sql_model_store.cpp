#include <climits>

#include "runtime/storage/sql_stores.hpp"

namespace qs::runtime::storage {

namespace {

class sql_models final : public model_store {
public:
  explicit sql_models(std::shared_ptr<connections> db) : db_(std::move(db)) {}

  expected<void> store_model(const stored_model& m) override {
    const std::string created = m.created_at.empty() ? sql::now_iso8601() : m.created_at;
    auto& c = *db_->writer;
    std::lock_guard lock(c.mutex);
    auto done = c.execute(
        "INSERT INTO models (version, kind, created_at, metrics, blob)"
        " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (version) DO NOTHING",
        sql::params().text(m.version).text(m.kind).text(created).text(m.metrics).blob(m.model));
    if (!done)
      return done.error();
    return {};
  }

  expected<std::optional<stored_model>> latest_model(const std::string& kind) override {
    auto rows = read("SELECT version, kind, created_at, metrics, blob FROM models WHERE kind = ?1"
                     " ORDER BY created_at DESC, version DESC LIMIT 1",
                     kind);
    if (!rows)
      return rows.error();
    if (rows->empty())
      return std::optional<stored_model>();
    return std::optional<stored_model>(stored_model{
        rows->take(0, 0), rows->take(0, 1), rows->take(0, 2), rows->take(0, 3), rows->take(0, 4)});
  }

  expected<std::vector<stored_model>> list_models(const std::string& kind) override {
    auto rows = read("SELECT version, kind, created_at, metrics FROM models WHERE kind = ?1"
                     " ORDER BY created_at DESC, version DESC",
                     kind);
    if (!rows)
      return rows.error();
    std::vector<stored_model> list;
    for (std::size_t r = 0; r < rows->size(); ++r)
      list.push_back({rows->take(r, 0), rows->take(r, 1), rows->take(r, 2), rows->take(r, 3), {}});
    return list;
  }

  expected<training_counts> count_training() override {
    auto& c = db_->read();
    std::lock_guard lock(c.mutex);
    auto rows = c.query("SELECT COUNT(*), COUNT(exploited),"
                        " COALESCE(SUM(CASE WHEN exploited = 1 THEN 1 ELSE 0 END), 0)"
                        " FROM training_examples");
    if (!rows)
      return rows.error();
    return training_counts{rows->integer(0, 0), rows->integer(0, 1), rows->integer(0, 2)};
  }

  expected<std::vector<training_example>> labelled_examples(std::size_t limit) override {
    auto& c = db_->read();
    std::lock_guard lock(c.mutex);
    auto rows = c.query(
        "SELECT asset_id, scan_result, exploited, stored_at"
        " FROM training_examples WHERE exploited IS NOT NULL"
        " ORDER BY id LIMIT ?1",
        sql::params().integer(static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX))));
    if (!rows)
      return rows.error();
    std::vector<training_example> list;
    list.reserve(rows->size());
    for (std::size_t r = 0; r < rows->size(); ++r)
      list.push_back(
          {rows->take(r, 0), rows->take(r, 1), rows->integer(r, 2) != 0, rows->take(r, 3)});
    return list;
  }

private:
  expected<sql::rows> read(const char* sql, const std::string& kind) {
    auto& c = db_->read();
    std::lock_guard lock(c.mutex);
    return c.query(sql, sql::params().text(kind));
  }

  std::shared_ptr<connections> db_;
};

} // namespace

std::shared_ptr<model_store> sql_model_store(std::shared_ptr<connections> db) {
  return std::make_shared<sql_models>(std::move(db));
}

} // namespace qs::runtime::storage
