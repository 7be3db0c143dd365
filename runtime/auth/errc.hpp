// The error codes of the authentication module (runtime/auth): what a caller that
// loads an API key file can act on. The message beside a code says what failed,
// with the file and line ("keys.txt:3: role must be user or admin"); it never
// quotes a key.
#pragma once

#include <system_error>

#include "runtime/expected.hpp"

namespace qs::runtime::auth {

enum class errc {
  unreadable = 1, ///< the key file cannot be read
  malformed,      ///< a line of the key file is wrong (bad field, short or duplicate key)
};

inline std::error_code make_error_code(errc e) {
  return {static_cast<int>(e), category_of<errc>()};
}

} // namespace qs::runtime::auth

namespace std {
template<> struct is_error_code_enum<qs::runtime::auth::errc> : true_type {};
} // namespace std

namespace qs {
template<> struct error_domain<runtime::auth::errc> {
  static constexpr const char* name = "auth";
  static const char* describe(runtime::auth::errc e) {
    static const char* const names[] = {"unreadable", "malformed"};
    return code_name(e, names);
  }
};
} // namespace qs
