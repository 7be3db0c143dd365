#include "runtime/storage/compact/from_v6.hpp"

#include <optional>
#include <unordered_map>

#include "runtime/storage/compact/answer_record.hpp"
#include "runtime/storage/compact/entry_record.hpp"

namespace qs::runtime::storage::compact {

namespace {

constexpr std::int64_t chunk = 2000;

expected<void> carry_entries(sql::connection& c) {
  std::unordered_map<std::string, std::int64_t> assets;
  std::int64_t after = 0;
  for (;;) {
    auto rows = c.query("SELECT id, asset_id, request_id, operation, scan_timestamp, stored_at,"
                        " scan_result, prediction, anomaly FROM entries_v6 WHERE id > ?1"
                        " ORDER BY id LIMIT ?2",
                        sql::params().integer(after).integer(chunk));
    if (!rows)
      return rows.error();
    for (std::size_t r = 0; r < rows->size(); ++r) {
      entry e;
      e.id = rows->integer(r, 0);
      e.asset_id = rows->take(r, 1);
      e.request_id = rows->take(r, 2);
      e.operation = rows->take(r, 3);
      e.scan_timestamp = rows->take(r, 4);
      e.stored_at = rows->take(r, 5);
      e.scan_result = rows->take(r, 6);
      e.prediction = rows->take(r, 7);
      e.anomaly = rows->take(r, 8);
      auto asset = assets.find(e.asset_id);
      if (asset == assets.end()) {
        auto added = c.query("INSERT INTO assets (name) VALUES (?1) RETURNING id",
                             sql::params().text(e.asset_id));
        if (!added)
          return added.error();
        asset = assets.emplace(e.asset_id, added->integer(0, 0)).first;
      }
      const std::string record = encode_entry(e, nullptr);
      if (auto done = c.execute(
              "INSERT INTO entries (id, asset, head, flags, record)"
              " VALUES (?1, ?2, NULL, ?3, ?4)",
              sql::params().integer(e.id).integer(asset->second).integer(flags_of(e)).blob(record));
          !done)
        return done.error();
      after = e.id;
    }
    if (rows->size() < static_cast<std::size_t>(chunk))
      break;
  }
  if (c.dialect() == sql::dialect::postgresql) {
    // Ids were given: move the identity past them.
    auto moved = c.query("SELECT setval(pg_get_serial_sequence('entries', 'id'),"
                         " COALESCE(MAX(id), 0) + 1, false) FROM entries");
    if (!moved)
      return moved.error();
  }
  return {};
}

expected<void> carry_answers(sql::connection& c) {
  std::optional<std::string> after;
  for (;;) {
    auto rows =
        c.query(std::string("SELECT key, route, status, body, fingerprint FROM"
                            " idempotent_answers") +
                    (after ? " WHERE key > ?2" : "") + " ORDER BY key LIMIT ?1",
                after ? sql::params().integer(chunk).text(*after) : sql::params().integer(chunk));
    if (!rows)
      return rows.error();
    for (std::size_t r = 0; r < rows->size(); ++r) {
      idempotent_answer a;
      a.key = rows->take(r, 0);
      a.route = rows->take(r, 1);
      a.status = static_cast<unsigned>(rows->integer(r, 2));
      a.body = rows->take(r, 3);
      a.fingerprint = rows->take(r, 4);
      const std::string record = encode_answer(a, {});
      if (auto done = c.execute("INSERT INTO answers (key, status, head, last, record)"
                                " VALUES (?1, ?2, NULL, NULL, ?3)",
                                sql::params().text(a.key).integer(a.status).blob(record));
          !done)
        return done.error();
      after = std::move(a.key);
    }
    if (rows->size() < static_cast<std::size_t>(chunk))
      break;
  }
  return {};
}

} // namespace

expected<void> carry_v6_rows(sql::connection& c) {
  if (auto done = carry_entries(c); !done)
    return done;
  if (auto done = carry_answers(c); !done)
    return done;
  for (const char* sql : {"DROP TABLE entries_v6", "DROP TABLE idempotent_answers"})
    if (auto done = c.execute(sql); !done)
      return done.error();
  return {};
}

} // namespace qs::runtime::storage::compact
