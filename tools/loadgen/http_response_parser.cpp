#include "http_response_parser.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

namespace qs::loadgen {
namespace {

constexpr std::size_t max_line = 16 * 1024;
constexpr std::size_t max_header_bytes = 256 * 1024;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string trim(const std::string& text) {
  auto begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) {
    return {};
  }
  auto end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

} // namespace

void ResponseParser::reset() {
  state_ = State::status_line;
  line_.clear();
  header_bytes_ = 0;
  status_ = 0;
  http10_ = false;
  keep_alive_ = true;
  chunked_ = false;
  has_length_ = false;
  remaining_ = 0;
  error_.clear();
}

ResponseParser::Result ResponseParser::fail(const char* why) {
  error_ = why;
  keep_alive_ = false;
  return Result::error;
}

// Appends bytes to line_ up to and including '\n'; strips the line ending when complete.
bool ResponseParser::take_line(const char* data, std::size_t size, std::size_t& pos,
                               bool& complete) {
  const char* start = data + pos;
  const auto* newline = static_cast<const char*>(std::memchr(start, '\n', size - pos));
  std::size_t take = newline ? static_cast<std::size_t>(newline - start) + 1 : size - pos;
  line_.append(start, take);
  pos += take;
  if (state_ == State::status_line || state_ == State::header_line ||
      state_ == State::trailer_line) {
    header_bytes_ += take;
  }
  if (line_.size() > max_line || header_bytes_ > max_header_bytes) {
    return false;
  }
  complete = newline != nullptr;
  if (complete) {
    line_.pop_back();
    if (!line_.empty() && line_.back() == '\r') {
      line_.pop_back();
    }
  }
  return true;
}

ResponseParser::Result ResponseParser::feed(const char* data, std::size_t size, std::size_t& used) {
  std::size_t pos = 0;
  Result result = Result::need_more;
  while (pos < size && result == Result::need_more) {
    switch (state_) {
    case State::body:
    case State::chunk_data: {
      auto take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, size - pos));
      pos += take;
      remaining_ -= take;
      if (remaining_ == 0) {
        if (state_ == State::body) {
          state_ = State::done;
          result = Result::done;
        } else {
          state_ = State::chunk_end;
        }
      }
      break;
    }
    case State::until_eof:
      pos = size;
      break;
    case State::done:
      result = Result::done;
      break;
    default: {
      bool complete = false;
      if (!take_line(data, size, pos, complete)) {
        result = fail("header or chunk line too long");
        break;
      }
      if (!complete) {
        break;
      }
      if (state_ == State::status_line) {
        result = on_status_line();
      } else if (state_ == State::header_line) {
        result = on_header_line();
      } else if (state_ == State::chunk_size) {
        result = on_chunk_size_line();
      } else if (state_ == State::chunk_end) {
        result = line_.empty() ? Result::need_more : fail("missing CRLF after chunk");
        state_ = State::chunk_size;
      } else if (state_ == State::trailer_line && line_.empty()) {
        state_ = State::done;
        result = Result::done;
      }
      line_.clear();
      break;
    }
    }
  }
  used = pos;
  return result;
}

ResponseParser::Result ResponseParser::finish_at_eof() {
  if (state_ == State::until_eof) {
    state_ = State::done;
    keep_alive_ = false;
    return Result::done;
  }
  return fail("connection closed before the response was complete");
}

ResponseParser::Result ResponseParser::on_status_line() {
  // "HTTP/1.1 200 OK"
  if (line_.size() < 12 || line_.compare(0, 7, "HTTP/1.") != 0 || line_[8] != ' ') {
    return fail("malformed status line");
  }
  http10_ = line_[7] == '0';
  keep_alive_ = !http10_;
  int code = 0;
  for (std::size_t i = 9; i < 12; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(line_[i]))) {
      return fail("malformed status code");
    }
    code = code * 10 + (line_[i] - '0');
  }
  status_ = code;
  state_ = State::header_line;
  return Result::need_more;
}

ResponseParser::Result ResponseParser::on_header_line() {
  if (line_.empty()) {
    return on_headers_end();
  }
  auto colon = line_.find(':');
  if (colon == std::string::npos || colon == 0) {
    return fail("malformed header line");
  }
  auto name = lower(line_.substr(0, colon));
  auto value = lower(trim(line_.substr(colon + 1)));
  if (name == "content-length") {
    char* end = nullptr;
    auto length = std::strtoull(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0') {
      return fail("bad Content-Length");
    }
    has_length_ = true;
    remaining_ = length;
  } else if (name == "transfer-encoding") {
    chunked_ = value.find("chunked") != std::string::npos;
  } else if (name == "connection") {
    if (value.find("close") != std::string::npos) {
      keep_alive_ = false;
    } else if (value.find("keep-alive") != std::string::npos) {
      keep_alive_ = true;
    }
  }
  return Result::need_more;
}

ResponseParser::Result ResponseParser::on_headers_end() {
  if (status_ >= 100 && status_ < 200) {
    // Interim response (e.g. 100 Continue): the real one follows.
    reset();
    return Result::need_more;
  }
  if (status_ == 204 || status_ == 304) {
    state_ = State::done;
    return Result::done;
  }
  if (chunked_) {
    state_ = State::chunk_size;
    return Result::need_more;
  }
  if (has_length_) {
    if (remaining_ == 0) {
      state_ = State::done;
      return Result::done;
    }
    state_ = State::body;
    return Result::need_more;
  }
  keep_alive_ = false;
  state_ = State::until_eof;
  return Result::need_more;
}

ResponseParser::Result ResponseParser::on_chunk_size_line() {
  auto digits = line_.substr(0, line_.find(';'));
  digits = trim(digits);
  char* end = nullptr;
  auto size = std::strtoull(digits.c_str(), &end, 16);
  if (digits.empty() || *end != '\0') {
    return fail("bad chunk size");
  }
  if (size == 0) {
    state_ = State::trailer_line;
  } else {
    remaining_ = size;
    state_ = State::chunk_data;
  }
  return Result::need_more;
}

} // namespace qs::loadgen
