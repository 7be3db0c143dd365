#include "runtime/storage/compact/packing.hpp"

#include <zlib.h>

#include "runtime/storage/compact/json_dictionary.hpp"
#include "runtime/storage/errc.hpp"

namespace qs::runtime::storage::compact {

namespace {

constexpr char as_is = 0;
constexpr char deflated_v1 = 1;

/// One thread's deflate state: a stream primed with the dictionary once, copied
/// for each text (copying the primed state costs less than priming it again,
/// and allocating a stream costs more than packing a small text).
class deflater {
public:
  deflater() {
    // Raw deflate (no zlib header: the format byte says what it is); a 16 KB
    // window holds the dictionary and the start of a record; a small hash table
    // (memLevel 5) is quicker to copy and loses nothing on texts this size.
    // Level 3 (greedy matching) packs a scan result's record about 8% larger
    // than level 6 for a third less CPU on the writer thread.
    const auto dictionary = json_dictionary();
    ok_ = deflateInit2(&primed_, 3, Z_DEFLATED, -14, 5, Z_DEFAULT_STRATEGY) == Z_OK;
    if (ok_ && deflateSetDictionary(&primed_, reinterpret_cast<const Bytef*>(dictionary.data()),
                                    static_cast<uInt>(dictionary.size())) != Z_OK) {
      deflateEnd(&primed_);
      ok_ = false;
    }
  }
  ~deflater() {
    if (ok_)
      deflateEnd(&primed_);
  }
  deflater(const deflater&) = delete;
  deflater& operator=(const deflater&) = delete;

  /// `text` deflated after dictionary 1, or "" when that fails.
  std::string run(std::string_view text) {
    z_stream z{};
    if (!ok_ || deflateCopy(&z, &primed_) != Z_OK)
      return {};
    std::string out(deflateBound(&z, static_cast<uLong>(text.size())) + 1, '\0');
    out[0] = deflated_v1;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    z.avail_in = static_cast<uInt>(text.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data() + 1);
    z.avail_out = static_cast<uInt>(out.size() - 1);
    const bool done = deflate(&z, Z_FINISH) == Z_STREAM_END;
    out.resize(out.size() - z.avail_out);
    deflateEnd(&z);
    return done ? out : std::string();
  }

private:
  z_stream primed_{};
  bool ok_ = false;
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
  thread_local deflater z;
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
  if (format != deflated_v1)
    return qs::error(errc::corrupt, "a packed text has the unknown format " +
                                        std::to_string(static_cast<unsigned char>(format)));
  thread_local inflater z;
  std::string out;
  if (!z.run(packed, out))
    return qs::error(errc::corrupt, "a packed text does not inflate");
  return out;
}

} // namespace qs::runtime::storage::compact
