#pragma once
// Incremental HTTP/1.1 response parser. It keeps only the status, the framing headers and the
// current line; body bytes are counted and dropped. Handles Content-Length, chunked bodies,
// bodies that end at EOF, interim 1xx responses, and 204/304 responses without a body.

#include <cstddef>
#include <cstdint>
#include <string>

namespace qs::loadgen {

class ResponseParser {
public:
  enum class Result { need_more, done, error };

  // Starts a new response.
  void reset();
  // Consumes bytes up to the end of the response; `used` says how many were taken.
  Result feed(const char* data, std::size_t size, std::size_t& used);
  // The peer closed the connection; completes a body that runs until EOF.
  Result finish_at_eof();

  int status() const { return status_; }
  bool keep_alive() const { return keep_alive_; }
  const std::string& error() const { return error_; }

private:
  enum class State {
    status_line,
    header_line,
    body,
    chunk_size,
    chunk_data,
    chunk_end,
    trailer_line,
    until_eof,
    done
  };

  Result fail(const char* why);
  bool take_line(const char* data, std::size_t size, std::size_t& pos, bool& complete);
  Result on_status_line();
  Result on_header_line();
  Result on_headers_end();
  Result on_chunk_size_line();

  State state_ = State::status_line;
  std::string line_;
  std::size_t header_bytes_ = 0;
  int status_ = 0;
  bool http10_ = false;
  bool keep_alive_ = true;
  bool chunked_ = false;
  bool has_length_ = false;
  std::uint64_t remaining_ = 0;
  std::string error_;
};

} // namespace qs::loadgen
