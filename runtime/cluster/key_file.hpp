// Internal to runtime/cluster: reading and atomically writing one-key files.
// Free functions, no shared state; any thread may call them.
#pragma once

#include <string>
#include <string_view>

#include <sys/types.h>

#include "runtime/cluster/errc.hpp"
#include "runtime/expected.hpp"

namespace qs::runtime::cluster::detail {

/// The first line that is neither blank nor a `#` comment, trimmed; an error names
/// the file. Never quotes the file's content (it may be a secret).
qs::expected<std::string> read_key_line(const std::string& file);
/// The same over a file's text (`file` names it in errors).
qs::expected<std::string> key_line_of(std::string_view text, const std::string& file);

enum class on_existing { refuse, replace };

/// Writes `content` to a fresh temporary file beside `path` (mkstemp: mode 0600 from
/// the start), sets `mode`, syncs it, then links (refuse) or renames (replace) it into
/// place. Returns `path`.
qs::expected<std::string> write_key_file(const std::string& path, const std::string& content,
                                         mode_t mode, on_existing existing);

} // namespace qs::runtime::cluster::detail
