// The error codes of the `qscan` command's set-up (nodes/): an option that cannot
// be used, or a part of the node that cannot start. The message says which.
#pragma once

#include <system_error>

#include "runtime/expected.hpp"

namespace qs::nodes {

enum class errc {
  bad_option = 1, ///< an option's value, or a combination of options, that cannot work
  start_failed,   ///< a part of the node could not start (a model file, a key file)
};

inline std::error_code make_error_code(errc e) {
  return {static_cast<int>(e), category_of<errc>()};
}

} // namespace qs::nodes

namespace std {
template<> struct is_error_code_enum<qs::nodes::errc> : true_type {};
} // namespace std

namespace qs {
template<> struct error_domain<nodes::errc> {
  static constexpr const char* name = "node";
  static const char* describe(nodes::errc e) {
    static const char* const names[] = {"bad_option", "start_failed"};
    return code_name(e, names);
  }
};
} // namespace qs
