#include "runtime/storage/sql/connection.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace qs::runtime::storage::sql {

expected<transaction> transaction::begin(connection& c, access mode) {
  std::unique_lock<std::mutex> lock(c.mutex);
  if (auto begun = c.begin(mode); !begun)
    return begun.error();
  return transaction(c, std::move(lock));
}

transaction::transaction(transaction&& other) noexcept
    : c_(other.c_), lock_(std::move(other.lock_)), open_(other.open_) {
  other.open_ = false;
}

transaction::~transaction() {
  if (open_)
    c_->rollback();
}

expected<void> transaction::commit() {
  open_ = false;
  auto done = c_->commit();
  if (!done)
    c_->rollback();
  return done;
}

std::string now_iso8601() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() %
      1000000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[48];
  const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof text - n, ".%06d+00:00", static_cast<int>(micros));
  return text;
}

} // namespace qs::runtime::storage::sql
