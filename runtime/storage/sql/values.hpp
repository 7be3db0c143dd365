// The values of the SQL layer: the parameters bound to one statement, and the rows
// a query returns. Both back-ends (SQLite, PostgreSQL) take and give these, so a
// store is written once over `sql::connection`.
//
// `params` views its text and blobs: they must outlive the call that takes them
// (nothing is copied on the way to SQLite). `rows` owns what it holds.
// Values only: a thread may use its own objects freely.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qs::runtime::storage::sql {

/// The values for ?1, ?2, ... of one statement, in order.
class params {
public:
  enum class kind { null, integer, text, blob };
  struct value {
    kind type = kind::null;
    std::int64_t number = 0;
    std::string_view bytes;
  };

  params& text(std::string_view v) { return add({kind::text, 0, v}); }
  /// NULL when `v` is empty.
  params& text_or_null(std::string_view v) { return v.empty() ? null() : text(v); }
  params& integer(std::int64_t v) { return add({kind::integer, v, {}}); }
  params& blob(std::string_view bytes) { return add({kind::blob, 0, bytes}); }
  params& null() { return add({}); }

  const std::vector<value>& values() const { return values_; }

private:
  params& add(value v) {
    values_.push_back(v);
    return *this;
  }
  std::vector<value> values_;
};

/// Rows of text cells (integers as decimal text, blobs as their bytes); NULL is
/// told apart by `is_null`.
class rows {
public:
  using cell = std::optional<std::string>;

  std::size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }

  bool is_null(std::size_t row, std::size_t column) const {
    return !rows_.at(row).at(column).has_value();
  }
  /// The cell's text or bytes; "" for NULL.
  const std::string& text(std::size_t row, std::size_t column) const;
  /// The cell as an integer; 0 for NULL or text that is not one.
  std::int64_t integer(std::size_t row, std::size_t column) const;
  /// Moves a cell's text out (for large documents read once).
  std::string take(std::size_t row, std::size_t column);

  void add(std::vector<cell> row) { rows_.push_back(std::move(row)); }

private:
  std::vector<std::vector<cell>> rows_;
};

} // namespace qs::runtime::storage::sql
