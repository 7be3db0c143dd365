// The error codes of the storage module (runtime/storage): what a store's caller
// can act on. The message beside a code says what failed, with context.
#pragma once

#include <system_error>

#include "runtime/expected.hpp"

namespace qs::runtime::storage {

enum class errc {
  unavailable = 1,  ///< the database cannot be reached or failed (a 503; retry later)
  invalid_argument, ///< the caller's input is wrong (a bad cursor or limit: a 400)
  corrupt,          ///< what is stored cannot be read back (a bug or a damaged file)
  schema_too_new,   ///< the database was migrated by a newer build
  foreign_cluster,  ///< the database belongs to another cluster
  timeout,          ///< a remote store did not answer within its deadline
  refused, ///< this node may not open or serve the database (its role, a second SQLite node)
};

inline std::error_code make_error_code(errc e) {
  return {static_cast<int>(e), category_of<errc>()};
}

} // namespace qs::runtime::storage

namespace std {
template<> struct is_error_code_enum<qs::runtime::storage::errc> : true_type {};
} // namespace std

namespace qs {
template<> struct error_domain<runtime::storage::errc> {
  static constexpr const char* name = "storage";
  static const char* describe(runtime::storage::errc e) {
    using runtime::storage::errc;
    switch (e) {
    case errc::unavailable:
      return "unavailable";
    case errc::invalid_argument:
      return "invalid_argument";
    case errc::corrupt:
      return "corrupt";
    case errc::schema_too_new:
      return "schema_too_new";
    case errc::foreign_cluster:
      return "foreign_cluster";
    case errc::timeout:
      return "timeout";
    case errc::refused:
      return "refused";
    }
    return "unknown";
  }
};
} // namespace qs
