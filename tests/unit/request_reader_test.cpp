// The request reader and the framing rules, without sockets: what is kept,
// what is refused, and that the way bytes are split never changes the result.
#include <catch2/catch.hpp>

#include "runtime/http/framing.hpp"
#include "runtime/http/request_reader.hpp"

namespace http = qs::runtime::http;
using state = http::request_reader::state;

namespace {

struct outcome {
  state end = state::need_more;
  http::request req;
  http::read_failure failure;
  std::size_t consumed = 0;
};

// Feeds `bytes` in pieces of `step` (0: all at once), as a connection would,
// keeping what the reader leaves unconsumed.
outcome read(std::string_view bytes, std::size_t step, http::reader_limits limits = {}) {
  http::request_reader reader(std::move(limits));
  std::string pending;
  outcome out;
  std::size_t offered = 0;
  while (true) {
    const std::size_t n =
        step == 0 ? bytes.size() - offered : std::min(step, bytes.size() - offered);
    pending.append(bytes.substr(offered, n));
    offered += n;
    const auto used = reader.feed(pending);
    out.consumed += used;
    pending.erase(0, used);
    if (reader.current() == state::header_ready)
      continue;
    if (reader.current() != state::need_more || offered == bytes.size())
      break;
  }
  while (reader.current() == state::header_ready ||
         (reader.current() == state::need_more && !pending.empty())) {
    const auto used = reader.feed(pending);
    out.consumed += used;
    pending.erase(0, used);
    if (used == 0 && reader.current() == state::need_more)
      break;
  }
  out.end = reader.current();
  if (out.end == state::done)
    out.req = reader.take();
  if (out.end == state::failed)
    out.failure = reader.failure();
  return out;
}

const std::string chunked =
    "POST /v1/enhance?x=1 HTTP/1.1\r\nHost: a\r\n"
    "Transfer-Encoding: chunked\r\n\r\n"
    "5;name=value;q=\"quoted ; ext\"\r\nhello\r\n"
    "1\r\n \r\n"
    "5\r\nworld\r\n0;last\r\nX-Sum: 1\r\nAuthorization: Bearer smuggled\r\n\r\n";

} // namespace

TEST_CASE("a request reads the same whether it arrives whole or a byte at a time",
          "[http][reader]") {
  for (const std::string& text :
       {chunked, std::string("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nabcde"),
        std::string("GET http://h:1/healthz?q=%20 HTTP/1.1\r\nHost: h:1\r\n\r\n"),
        std::string("GET / HTTP/1.0\r\n\r\n")}) {
    INFO(text);
    const auto whole = read(text, 0);
    REQUIRE(whole.end == state::done);
    for (std::size_t step : {1, 2, 7, 64}) {
      INFO("step " << step);
      const auto split = read(text, step);
      REQUIRE(split.end == state::done);
      CHECK(split.req.method == whole.req.method);
      CHECK(split.req.target == whole.req.target);
      CHECK(split.req.headers == whole.req.headers);
      CHECK(split.req.body == whole.req.body);
      CHECK(split.consumed == text.size());
    }
  }
}

TEST_CASE("chunk extensions and trailers are read and dropped", "[http][reader]") {
  const auto got = read(chunked, 0);
  REQUIRE(got.end == state::done);
  CHECK(got.req.body == "hello world");
  CHECK(got.req.target == "/v1/enhance?x=1");
  CHECK(got.req.header("Authorization").empty());
  CHECK(got.req.header("X-Sum").empty());
  CHECK(got.req.headers.size() == 2); // Host and Transfer-Encoding
}

TEST_CASE("a pipelined next request is left unconsumed", "[http][reader]") {
  const std::string first = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
  const auto got = read(first + "GET /b HTTP/1.1\r\nHost: x\r\n\r\n", 0);
  REQUIRE(got.end == state::done);
  CHECK(got.req.target == "/a");
  CHECK(got.consumed == first.size());
}

TEST_CASE("chunk lines and trailers past the header limit are refused however they arrive",
          "[http][reader]") {
  http::reader_limits small;
  small.header_limit = 1024;
  const std::string head = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (const std::string& text :
       {head + "2;" + std::string(5000, 'e') + "\r\n{}\r\n0\r\n\r\n",
        head + "2\r\n{}\r\n0\r\nX-T: " + std::string(5000, 't') + "\r\n\r\n",
        head + "2\r\n{}\r\n0\r\n" + [] {
          std::string many;
          for (int i = 0; i < 400; ++i)
            many += "A: b\r\n";
          return many + "\r\n";
        }()}) {
    for (std::size_t step : {0, 1, 100}) {
      INFO("step " << step);
      const auto got = read(text, step, small);
      REQUIRE(got.end == state::failed);
      CHECK(got.failure.status == 431);
      CHECK(got.failure.code == "headers_too_large");
    }
  }
}

TEST_CASE("the admission check refuses a body before it is read, and a chunked one at its first "
          "chunk",
          "[http][reader]") {
  http::reader_limits refusing;
  std::vector<std::size_t> asked;
  refusing.admit = [&](std::size_t n) {
    asked.push_back(n);
    return false;
  };
  auto sized = read("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n", 0, refusing);
  REQUIRE(sized.end == state::failed);
  CHECK(sized.failure.status == 503);
  CHECK(sized.failure.headers ==
        std::vector<std::pair<std::string, std::string>>{{"Retry-After", "1"}});
  auto by_chunk = read(chunked, 0, refusing);
  REQUIRE(by_chunk.end == state::failed);
  CHECK(by_chunk.failure.status == 503);
  CHECK(asked == std::vector<std::size_t>{100, 5});
  // No body, no question.
  asked.clear();
  CHECK(read("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 0, refusing).end == state::done);
  CHECK(asked.empty());
}

TEST_CASE("a body over the limit is refused from its header; a client gone mid-request is a "
          "silent close",
          "[http][reader]") {
  http::reader_limits tiny;
  tiny.body_limit = 10;
  auto big = read("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n", 0, tiny);
  REQUIRE(big.end == state::failed);
  CHECK(big.failure.status == 413);
  http::request_reader reader({});
  reader.feed("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nab");
  reader.feed_eof();
  CHECK(reader.current() == state::failed);
  CHECK(reader.failure().status == 0);
}

TEST_CASE("Transfer-Encoding: only chunked, last and once, alone, in HTTP/1.1", "[http][framing]") {
  using http::check_transfer_encoding;
  CHECK(!check_transfer_encoding({}, true, 11));
  CHECK(!check_transfer_encoding({"chunked"}, false, 11));
  CHECK(!check_transfer_encoding({"Chunked"}, false, 11));
  CHECK(!check_transfer_encoding({" chunked , "}, false, 11));
  for (const std::vector<std::string>& refused :
       std::vector<std::vector<std::string>>{{"gzip"},
                                             {"identity"},
                                             {"xchunked"},
                                             {"chunked, gzip"},
                                             {"chunked", "gzip"},
                                             {"chunked, chunked"},
                                             {"chunked;x=1"},
                                             {""},
                                             {"chu nked"},
                                             {"chunked\x01"}}) {
    INFO(refused.front());
    auto e = check_transfer_encoding(refused, false, 11);
    REQUIRE(e);
    CHECK(e->status == 400);
    CHECK(e->code == "bad_request");
  }
  auto unsupported = check_transfer_encoding({"gzip", "chunked"}, false, 11);
  REQUIRE(unsupported);
  CHECK(unsupported->status == 501);
  CHECK(check_transfer_encoding({"chunked"}, true, 11)->status == 400);
  CHECK(check_transfer_encoding({"chunked"}, false, 10)->status == 400);
  // A client's value is quoted at most 64 bytes long.
  auto long_one = check_transfer_encoding({std::string(1000, 'g')}, false, 11);
  CHECK(long_one->message.size() < 200);
}

TEST_CASE("Host: one, valid, required from HTTP/1.1", "[http][framing]") {
  using http::check_host;
  for (const char* good :
       {"a", "a:80", "127.0.0.1:8000", "[::1]:8000", "[::1]", "x.example.org", ""})
    CHECK(!check_host({good}, 11));
  for (const char* bad : {"a b", "a/b", "u@h", "h:123456", "[::1", "[::1]x", "h:8a"})
    CHECK(check_host({bad}, 11));
  CHECK(check_host({}, 11));
  CHECK(!check_host({}, 10));
  CHECK(check_host({"a", "a"}, 10));
}

TEST_CASE("request targets: origin form kept, absolute form reduced to its path, others refused",
          "[http][framing]") {
  auto origin = [](std::string_view target, std::string_view method = "GET") {
    auto got = http::origin_form(target, method);
    return std::holds_alternative<http::target_form>(got)
               ? std::get<http::target_form>(got).origin
               : "ERROR " + std::to_string(std::get<http::framing_error>(got).status);
  };
  CHECK(origin("/a?b") == "/a?b");
  CHECK(origin("http://h:1/a?b") == "/a?b");
  CHECK(origin("HTTPS://h") == "/");
  CHECK(origin("http://h?q=1") == "/?q=1");
  CHECK(origin("http://h/p#frag") == "/p");
  CHECK(origin("*", "OPTIONS") == "*");
  CHECK(origin("*") == "ERROR 400");
  CHECK(origin("ftp://h/") == "ERROR 400");
  CHECK(origin("http:///p") == "ERROR 400");
  CHECK(origin("http://u@h/p") == "ERROR 400");
  CHECK(origin("h:443", "CONNECT") == "ERROR 400");
}
