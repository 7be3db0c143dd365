// Reads one HTTP/1.1 request from bytes as they arrive, with every limit a
// hostile client could try to get around: the header limit (which the trailer
// section counts against too), a chunk line no longer than the header limit,
// the body limit, the framing rules of framing.hpp, and an admission check
// before body bytes are taken in. Chunk extensions and trailers are read and
// discarded, never stored. No exception leaves it: a failure of the parser
// underneath is a 400 like any other.
//
// Pure: no sockets, no threads. The connection feeds it what it reads, the
// fuzz target feeds it raw bytes. One reader reads one request; make a new
// one for the next. Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/http/framing.hpp"
#include "runtime/http/message.hpp"

namespace qs::runtime::http {

struct reader_limits {
  std::size_t header_limit = 16 * 1024; ///< request line, fields and trailers together
  std::size_t body_limit = 8 * 1024 * 1024;
  /// Asked before a body's bytes are taken in: with the Content-Length once the
  /// header is read, or with each chunk's size. false refuses the request (503).
  std::function<bool(std::size_t bytes)> admit;
};

/// What an answer to a refused request says: status, error code, message and
/// extra headers (Retry-After on 503). status 0: close without answering (the
/// client went away in the middle of its request).
struct read_failure : framing_error {
  std::vector<std::pair<std::string, std::string>> headers;
};

class request_reader {
public:
  enum class state {
    need_more,    ///< give it more bytes (or feed_eof)
    header_ready, ///< the header is complete and checked; reported once, then need_more/done
    done,         ///< take() the request
    failed        ///< failure() says why; the connection must close
  };

  explicit request_reader(reader_limits limits);
  ~request_reader();
  request_reader(const request_reader&) = delete;
  request_reader& operator=(const request_reader&) = delete;

  /// Parses what it can of `bytes` and returns how many it consumed; the caller
  /// keeps the rest and offers it again with more appended. Stops after the
  /// header (state header_ready) and after the request (bytes of a pipelined
  /// next request are left unconsumed).
  std::size_t feed(std::string_view bytes);
  /// The peer closed its side: a request cut short fails with status 0.
  void feed_eof();

  state current() const { return state_; }
  const read_failure& failure() const { return failure_; }

  /// After header_ready: what the header said.
  bool expects_continue() const;
  bool is_head() const;
  bool keep_alive() const;
  unsigned version() const;

  /// @pre current() == state::done. Moves the request out.
  request take();

private:
  class parser;
  void fail(read_failure why);
  void after_header();

  reader_limits limits_;
  std::unique_ptr<parser> parser_;
  state state_ = state::need_more;
  read_failure failure_;
  bool header_reported_ = false;
};

} // namespace qs::runtime::http
