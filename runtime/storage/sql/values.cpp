#include "runtime/storage/sql/values.hpp"

#include <charconv>

namespace qs::runtime::storage::sql {

const std::string& rows::text(std::size_t row, std::size_t column) const {
  static const std::string none;
  const auto& c = rows_.at(row).at(column);
  return c ? *c : none;
}

std::int64_t rows::integer(std::size_t row, std::size_t column) const {
  const auto& t = text(row, column);
  std::int64_t n = 0;
  std::from_chars(t.data(), t.data() + t.size(), n);
  return n;
}

std::string rows::take(std::size_t row, std::size_t column) {
  auto& c = rows_.at(row).at(column);
  return c ? std::move(*c) : std::string();
}

} // namespace qs::runtime::storage::sql
