// The request reader over Boost.Beast's basic_parser: Beast finds the message's
// parts, this file decides what is kept and what is refused.
#include "runtime/http/request_reader.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>

namespace qs::runtime::http {

namespace bhttp = boost::beast::http;
using error_code = boost::system::error_code;

/// Beast's callbacks: the request line and header fields into a `request`, body
/// bytes appended to its body, chunk extensions and trailers only counted.
class request_reader::parser final : public bhttp::basic_parser<true> {
public:
  parser(const reader_limits& limits) : limits_(limits) {}

  request req;
  unsigned version = 11;
  bool head = false;
  bool expect_continue = false;
  bool has_content_length = false;
  std::vector<std::string> transfer_encodings;
  std::vector<std::string> hosts;
  std::size_t header_bytes = 0;        ///< the header section, known once it is complete
  std::optional<read_failure> refusal; ///< why a callback set an error

private:
  void refuse(read_failure why, error_code& ec) {
    refusal = std::move(why);
    ec = bhttp::error::bad_value;
  }

  void on_request_impl(bhttp::verb method, boost::beast::string_view method_str,
                       boost::beast::string_view target, int v, error_code&) override {
    req.method = std::string(method_str);
    req.target = std::string(target);
    version = static_cast<unsigned>(v);
    head = method == bhttp::verb::head;
  }

  void on_response_impl(int, boost::beast::string_view, int, error_code& ec) override {
    ec = bhttp::error::bad_method; // a request parser never sees a status line
  }

  void on_field_impl(bhttp::field f, boost::beast::string_view name,
                     boost::beast::string_view value, error_code& ec) override {
    if (in_trailer_) { // counted against the header limit, then dropped
      trailer_bytes_ += name.size() + value.size() + 4;
      if (header_bytes + trailer_bytes_ > limits_.header_limit)
        refuse({{431, "headers_too_large",
                 "the request headers and trailers are larger than " +
                     std::to_string(limits_.header_limit) + " bytes"},
                {}},
               ec);
      return;
    }
    if (f == bhttp::field::transfer_encoding)
      transfer_encodings.emplace_back(value);
    else if (f == bhttp::field::content_length)
      has_content_length = true;
    else if (f == bhttp::field::host)
      hosts.emplace_back(value);
    else if (f == bhttp::field::expect && boost::beast::iequals(value, "100-continue"))
      expect_continue = true;
    req.headers.emplace_back(std::string(name), std::string(value));
  }

  void on_header_impl(error_code&) override { in_trailer_ = true; }

  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override {
    if (length)
      req.body.reserve(static_cast<std::size_t>(*length)); // admitted and within the limit
  }

  std::size_t on_body_impl(boost::beast::string_view body, error_code&) override {
    req.body.append(body.data(), body.size());
    return body.size();
  }

  void on_chunk_header_impl(std::uint64_t size, boost::beast::string_view extensions,
                            error_code& ec) override {
    if (extensions.size() > limits_.header_limit) // arrived whole: capped all the same
      return refuse(chunk_line_too_large(limits_.header_limit), ec);
    if (size > 0 && limits_.admit && !limits_.admit(static_cast<std::size_t>(size)))
      refuse(busy(), ec);
  }

  std::size_t on_chunk_body_impl(std::uint64_t, boost::beast::string_view body,
                                 error_code&) override {
    req.body.append(body.data(), body.size());
    return body.size();
  }

  void on_finish_impl(error_code&) override {}

  const reader_limits& limits_;
  bool in_trailer_ = false;
  std::size_t trailer_bytes_ = 0;

public:
  static read_failure chunk_line_too_large(std::size_t limit) {
    return {
        {431, "headers_too_large",
         "a chunk line or the trailer section is larger than " + std::to_string(limit) + " bytes"},
        {}};
  }
  static read_failure busy() {
    return {{503, "server_busy", "too many request bodies are being read at once; try again"},
            {{"Retry-After", "1"}}};
  }
};

request_reader::request_reader(reader_limits limits)
    : limits_(std::move(limits)), parser_(std::make_unique<parser>(limits_)) {
  parser_->header_limit(
      static_cast<std::uint32_t>(std::min<std::size_t>(limits_.header_limit, UINT32_MAX)));
  parser_->body_limit(limits_.body_limit);
  parser_->eager(false); // stop after the header, so it is checked before the body is read
}

request_reader::~request_reader() = default;

void request_reader::fail(read_failure why) {
  state_ = state::failed;
  failure_ = std::move(why);
}

void request_reader::after_header() {
  header_reported_ = true;
  auto& p = *parser_;
  if (auto e = check_transfer_encoding(p.transfer_encodings, p.has_content_length, p.version))
    return fail({*e, {}});
  if (auto e = check_host(p.hosts, p.version))
    return fail({*e, {}});
  auto form = origin_form(p.req.target, p.req.method);
  if (auto* e = std::get_if<framing_error>(&form))
    return fail({*e, {}});
  p.req.target = std::move(std::get<target_form>(form).origin);
  if (auto length = p.content_length();
      length && *length > 0 && limits_.admit && !limits_.admit(static_cast<std::size_t>(*length)))
    return fail(parser::busy());
  p.eager(true);
}

std::size_t request_reader::feed(std::string_view bytes) {
  if (state_ == state::header_ready)
    state_ = state::need_more;
  std::size_t consumed = 0;
  try {
    while (state_ == state::need_more) {
      const auto rest = bytes.substr(consumed);
      const bool header_was_done = parser_->is_header_done();
      error_code ec;
      const auto used = parser_->put(boost::asio::const_buffer(rest.data(), rest.size()), ec);
      consumed += used;
      if (!header_was_done)
        parser_->header_bytes += used;
      if (ec == bhttp::error::need_more) {
        // Unconsumed bytes in a chunked body are a chunk line or the trailer
        // section still incomplete: both are capped at the header limit.
        if (parser_->is_header_done() && rest.size() - used > limits_.header_limit)
          fail(parser::chunk_line_too_large(limits_.header_limit));
        break;
      }
      if (ec) {
        if (parser_->refusal)
          fail(std::move(*parser_->refusal));
        else if (ec == bhttp::error::header_limit)
          fail({{431, "headers_too_large",
                 "the request headers are larger than " + std::to_string(limits_.header_limit) +
                     " bytes"},
                {}});
        else if (ec == bhttp::error::body_limit)
          fail(
              {{413, "payload_too_large",
                "the request body is larger than " + std::to_string(limits_.body_limit) + " bytes"},
               {}});
        else
          fail({{400, "bad_request", "malformed HTTP request: " + ec.message()}, {}});
        break;
      }
      if (parser_->is_header_done() && !header_reported_) {
        after_header();
        if (state_ == state::failed)
          break;
        if (!parser_->is_done()) {
          state_ = state::header_ready;
          break;
        }
      }
      if (parser_->is_done()) {
        state_ = state::done;
        break;
      }
      if (used == 0)
        break; // no progress without more bytes
    }
  } catch (const std::exception&) {
    fail({{400, "bad_request", "malformed HTTP request"}, {}});
  }
  return consumed;
}

void request_reader::feed_eof() {
  if (state_ == state::done || state_ == state::failed)
    return;
  fail({{0, "", "the client closed the connection mid-request"}, {}});
}

bool request_reader::expects_continue() const {
  return parser_->expect_continue && parser_->version >= 11;
}

bool request_reader::is_head() const {
  return parser_->head;
}

bool request_reader::keep_alive() const {
  return parser_->keep_alive();
}

unsigned request_reader::version() const {
  return parser_->version;
}

request request_reader::take() {
  return std::move(parser_->req);
}

} // namespace qs::runtime::http
