#include "runtime/storage/sql_stores.hpp"

namespace qs::runtime::storage {

namespace {

class sql_answers final : public answer_store {
public:
  explicit sql_answers(std::shared_ptr<connections> db) : db_(std::move(db)) {}

  expected<std::optional<idempotent_answer>> find_answer(const std::string& key) override {
    auto& c = db_->read();
    std::lock_guard lock(c.mutex);
    auto rows = c.query("SELECT key, route, status, body, fingerprint FROM idempotent_answers"
                        " WHERE key = ?1",
                        sql::params().text(key));
    if (!rows)
      return rows.error();
    if (rows->empty())
      return std::optional<idempotent_answer>();
    idempotent_answer answer;
    answer.key = rows->take(0, 0);
    answer.route = rows->take(0, 1);
    answer.status = static_cast<unsigned>(rows->integer(0, 2));
    answer.body = rows->take(0, 3);
    answer.fingerprint = rows->take(0, 4);
    return std::optional<idempotent_answer>(std::move(answer));
  }

private:
  std::shared_ptr<connections> db_;
};

} // namespace

std::shared_ptr<answer_store> sql_answer_store(std::shared_ptr<connections> db) {
  return std::make_shared<sql_answers>(std::move(db));
}

} // namespace qs::runtime::storage
