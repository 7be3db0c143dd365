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
    static const char* const names[] = {"unavailable",    "invalid_argument", "corrupt",
                                        "schema_too_new", "foreign_cluster",  "timeout",
                                        "refused"};
    return code_name(e, names);
  }
};
} // namespace qs
