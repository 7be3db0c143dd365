#include "runtime/storage/compact/packing.hpp"

#include <zlib.h>
#define ZSTD_STATIC_LINKING_ONLY // the magicless frame format: 4 bytes less a text
#include <zstd.h>

#include "runtime/storage/compact/json_dictionary.hpp"
#include "runtime/storage/errc.hpp"

namespace qs::runtime::storage::compact {

namespace {

constexpr char as_is = 0;
constexpr char deflated_v1 = 1;
constexpr char zstd_v1 = 2;
// Level 3: a 10-finding scan result with its answers stores in about 635 bytes,
// and qs-bench-storage's whole path costs 27 us of CPU a result; with deflate
// (level 3, the same dictionary) 558 bytes and 39 us, zstd level 5 558 and 40.
constexpr int zstd_level = 3;
// No stored text is near this (the body limit is 8 MiB): a larger claim is corrupt.
constexpr unsigned long long max_unpacked = 1ULL << 30;

/// The dictionary prepared once for each direction, shared by every thread
/// (zstd's prepared dictionaries are read-only), and a context per thread.
const ZSTD_CDict* compression_dictionary() {
  static const ZSTD_CDict* const prepared = [] {
    const auto dictionary = json_dictionary();
    return ZSTD_createCDict(dictionary.data(), dictionary.size(), zstd_level);
  }();
  return prepared;
}

const ZSTD_DDict* decompression_dictionary() {
  static const ZSTD_DDict* const prepared = [] {
    const auto dictionary = json_dictionary();
    return ZSTD_createDDict(dictionary.data(), dictionary.size());
  }();
  return prepared;
}

struct compressor {
  ZSTD_CCtx* context = ZSTD_createCCtx();
  compressor() {
    if (context &&
        (ZSTD_isError(ZSTD_CCtx_setParameter(context, ZSTD_c_format, ZSTD_f_zstd1_magicless)) ||
         ZSTD_isError(ZSTD_CCtx_refCDict(context, compression_dictionary())))) {
      ZSTD_freeCCtx(context);
      context = nullptr;
    }
  }
  ~compressor() { ZSTD_freeCCtx(context); }
  compressor(const compressor&) = delete;
  compressor& operator=(const compressor&) = delete;

  /// `text` as format 2, or "" when that fails.
  std::string run(std::string_view text) {
    if (!context)
      return {};
    std::string out(ZSTD_compressBound(text.size()) + 1, '\0');
    out[0] = zstd_v1;
    const std::size_t n =
        ZSTD_compress2(context, out.data() + 1, out.size() - 1, text.data(), text.size());
    if (ZSTD_isError(n))
      return {};
    out.resize(n + 1);
    return out;
  }
};

struct decompressor {
  ZSTD_DCtx* context = ZSTD_createDCtx();
  decompressor() {
    if (context &&
        (ZSTD_isError(ZSTD_DCtx_setParameter(context, ZSTD_d_format, ZSTD_f_zstd1_magicless)) ||
         ZSTD_isError(ZSTD_DCtx_refDDict(context, decompression_dictionary())))) {
      ZSTD_freeDCtx(context);
      context = nullptr;
    }
  }
  ~decompressor() { ZSTD_freeDCtx(context); }
  decompressor(const decompressor&) = delete;
  decompressor& operator=(const decompressor&) = delete;

  bool run(std::string_view payload, std::string& out) {
    if (!context)
      return false;
    // One frame that states its size (pack writes it); bytes after it are an error.
    ZSTD_frameHeader header;
    if (ZSTD_getFrameHeader_advanced(&header, payload.data(), payload.size(),
                                     ZSTD_f_zstd1_magicless) != 0 ||
        header.frameContentSize == ZSTD_CONTENTSIZE_UNKNOWN ||
        header.frameContentSize > max_unpacked)
      return false;
    out.resize(static_cast<std::size_t>(header.frameContentSize));
    const std::size_t n =
        ZSTD_decompressDCtx(context, out.data(), out.size(), payload.data(), payload.size());
    return !ZSTD_isError(n) && n == out.size();
  }
};

class inflater {
public:
  inflater() { ok_ = inflateInit2(&z_, -15) == Z_OK; }
  ~inflater() {
    if (ok_)
      inflateEnd(&z_);
  }
  inflater(const inflater&) = delete;
  inflater& operator=(const inflater&) = delete;

  bool run(std::string_view payload, std::string& out) {
    if (!ok_ || inflateReset(&z_) != Z_OK)
      return false;
    const auto dictionary = json_dictionary();
    if (inflateSetDictionary(&z_, reinterpret_cast<const Bytef*>(dictionary.data()),
                             static_cast<uInt>(dictionary.size())) != Z_OK)
      return false;
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(payload.data()));
    z_.avail_in = static_cast<uInt>(payload.size());
    out.resize(payload.size() * 4 + 64);
    std::size_t produced = 0;
    for (;;) {
      z_.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
      z_.avail_out = static_cast<uInt>(out.size() - produced);
      const int rc = inflate(&z_, Z_FINISH);
      produced = out.size() - z_.avail_out;
      if (rc == Z_STREAM_END) {
        out.resize(produced);
        return z_.avail_in == 0; // nothing may follow the stream
      }
      if (rc != Z_BUF_ERROR && rc != Z_OK)
        return false;
      if (z_.avail_out != 0)
        return false; // the input ended before the stream did
      out.resize(out.size() * 2);
    }
  }

private:
  z_stream z_{};
  bool ok_ = false;
};

} // namespace

std::string pack(std::string_view text) {
  thread_local compressor z;
  std::string out = text.size() < 8 ? std::string() : z.run(text);
  if (out.empty() || out.size() > text.size()) {
    out.assign(1, as_is);
    out.append(text);
  }
  return out;
}

expected<std::string> unpack(std::string_view packed) {
  if (packed.empty())
    return qs::error(errc::corrupt, "a packed text is empty (no format byte)");
  const char format = packed.front();
  packed.remove_prefix(1);
  if (format == as_is)
    return std::string(packed);
  std::string out;
  if (format == zstd_v1) {
    thread_local decompressor z;
    if (!z.run(packed, out))
      return qs::error(errc::corrupt, "a packed text does not decompress");
    return out;
  }
  if (format != deflated_v1)
    return qs::error(errc::corrupt, "a packed text has the unknown format " +
                                        std::to_string(static_cast<unsigned char>(format)));
  thread_local inflater z;
  if (!z.run(packed, out))
    return qs::error(errc::corrupt, "a packed text does not inflate");
  return out;
}

} // namespace qs::runtime::storage::compact
