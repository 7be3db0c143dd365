#include "runtime/storage/compact/answer_record.hpp"
#include "runtime/storage/compact/entry_record.hpp"
#include "runtime/storage/sql_stores.hpp"

namespace qs::runtime::storage {

namespace {

class sql_answers final : public answer_store {
public:
  explicit sql_answers(std::shared_ptr<connections> db) : db_(std::move(db)) {}

  expected<std::optional<idempotent_answer>> find_answer(const std::string& key) override {
    auto found = rows_of(key);
    if (!found)
      return found.error();
    if (!*found)
      return std::optional<idempotent_answer>();
    auto& [rows, batch] = **found;
    std::vector<entry> entries(batch.size());
    for (std::size_t r = 0; r < batch.size(); ++r) {
      entries[r].id = batch.integer(r, 0);
      if (auto done =
              compact::decode_entry(batch.text(r, 1), r ? &entries.front() : nullptr, entries[r]);
          !done)
        return done.error();
    }
    idempotent_answer answer;
    answer.key = key;
    answer.status = static_cast<unsigned>(rows.integer(0, 0));
    if (auto done = compact::decode_answer(rows.text(0, 3), entries, answer); !done)
      return done.error();
    return std::optional<idempotent_answer>(std::move(answer));
  }

private:
  /// The answer's row and its batch's entries (the head, then those that name
  /// it, in order), read in one snapshot; unpacked after it, when the connection
  /// is free for the next reader. Nothing when no answer has the key.
  expected<std::optional<std::pair<sql::rows, sql::rows>>> rows_of(const std::string& key) {
    using found = std::optional<std::pair<sql::rows, sql::rows>>;
    auto txn = sql::transaction::begin(db_->read(), sql::access::read);
    if (!txn)
      return txn.error();
    auto rows = (*txn)->query("SELECT status, head, last, record FROM answers WHERE key = ?1",
                              sql::params().text(key));
    if (!rows)
      return rows.error();
    if (rows->empty())
      return found();
    sql::rows batch;
    if (!rows->is_null(0, 1)) {
      auto entries =
          (*txn)->query("SELECT id, record FROM entries WHERE id >= ?1 AND id <= ?2"
                        " AND (id = ?1 OR head = ?1) ORDER BY id",
                        sql::params().integer(rows->integer(0, 1)).integer(rows->integer(0, 2)));
      if (!entries)
        return entries.error();
      batch = std::move(*entries);
    }
    if (auto done = txn->commit(); !done)
      return done.error();
    return found(std::pair(std::move(*rows), std::move(batch)));
  }

  std::shared_ptr<connections> db_;
};

} // namespace

std::shared_ptr<answer_store> sql_answer_store(std::shared_ptr<connections> db) {
  return std::make_shared<sql_answers>(std::move(db));
}

} // namespace qs::runtime::storage
