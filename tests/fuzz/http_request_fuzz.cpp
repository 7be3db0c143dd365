// Raw bytes as a client would send them, through the request reader (with
// small limits and a body budget, so every refusal is reachable), then the
// routing and query parsing the bridge does with what it read. Invariants: no
// crash or sanitizer report; reading the bytes whole or in pieces of any size
// gives the same request; a refusal is always a status the server can send.
// A request accepted one way and refused the other is allowed only for a size
// limit (431) met at a boundary. Refusals may differ in status: Beast finds a
// malformation at a point that depends on how much it has (it checks a header
// once it is complete, and reads a chunk extension's quoted string up to the
// end of its buffer, not of the line), so the same bad bytes may be a 400
// whole and a 413, a 431 or a silent close in pieces. Refused is refused.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "actors/bridge/routes.hpp"
#include "runtime/http/request_reader.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace http = qs::runtime::http;
using state = http::request_reader::state;

namespace {

struct read_result {
  state end = state::need_more;
  http::request req;
  unsigned status = 0;
};

read_result read(std::string_view bytes, std::size_t step) {
  std::size_t budget = 3000;
  http::reader_limits limits;
  limits.header_limit = 1024;
  limits.body_limit = 4096;
  limits.admit = [&budget](std::size_t n) {
    if (n > budget)
      return false;
    budget -= n;
    return true;
  };
  http::request_reader reader(limits);
  std::string pending;
  std::size_t offered = 0;
  for (;;) {
    const auto n = std::min(step, bytes.size() - offered);
    pending.append(bytes.substr(offered, n));
    offered += n;
    for (;;) {
      const auto used = reader.feed(pending);
      pending.erase(0, used);
      if (reader.current() != state::header_ready)
        break;
    }
    if (reader.current() != state::need_more || offered == bytes.size())
      break;
  }
  if (reader.current() == state::need_more)
    reader.feed_eof();
  read_result out;
  out.end = reader.current();
  if (out.end == state::done)
    out.req = reader.take();
  else
    out.status = reader.failure().status;
  return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using qs::fuzz::require;
  if (size < 1)
    return 0;
  const std::size_t step = data[0] % 64 + 1;
  const auto bytes = qs::fuzz::text_of(data + 1, size - 1);
  const auto whole = read(bytes, bytes.size() + 1);
  const auto split = read(bytes, step);
  if (std::getenv("QS_FUZZ_DEBUG"))
    std::fprintf(stderr, "whole: state %d status %u; in pieces of %zu: state %d status %u\n",
                 static_cast<int>(whole.end), whole.status, step, static_cast<int>(split.end),
                 split.status);
  for (const auto* r : {&whole, &split})
    require(r->end == state::done || r->status == 0 || (r->status >= 400 && r->status <= 599),
            "a refusal is a 4xx or 5xx, or a silent close");
  if (whole.end == state::done && split.end == state::done) {
    require(whole.req.method == split.req.method && whole.req.target == split.req.target &&
                whole.req.headers == split.req.headers && whole.req.body == split.req.body,
            "the same bytes split differently read as another request");
  } else if (whole.end == state::done || split.end == state::done) {
    require((whole.end == state::done ? split.status : whole.status) == 431,
            "the same bytes are read whole but refused in pieces, or the other way round");
  }
  if (whole.end == state::done) {
    const auto& req = whole.req;
    require(req.body.size() <= 4096, "a body past the limit was read");
    const auto route = qs::actors::match_route(req.path());
    (void)route;
    (void)req.query_param("limit");
    (void)req.query_param("cursor");
    (void)http::percent_decode(req.target, true);
  }
  return 0;
}
