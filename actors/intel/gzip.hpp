// Bytes from files that may be gzip (NVD feeds, KEV, model files), and gzip
// for writing model files. Told apart by gzip's magic bytes, not the name.
#pragma once

#include <string>
#include <string_view>

namespace qs::intel {

/// Bytes, or why there are none.
struct bytes_or_error {
  std::string bytes;
  std::string error; ///< "" when `bytes` holds them
};

/// A file's bytes, inflated when they are gzip; errors name the file.
bytes_or_error read_maybe_gzip(const std::string& path);

/// Bytes inflated when they start with gzip's magic, else as they are.
bytes_or_error maybe_gunzip(std::string bytes);

/// `bytes` as a gzip stream ("" only when zlib fails).
std::string gzip(std::string_view bytes);

} // namespace qs::intel
