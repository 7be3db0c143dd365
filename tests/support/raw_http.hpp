// Raw bytes to `qscan serve` and what came back, for tests that play a hostile
// client: malformed framing, smuggled requests, endless lines. Replies are
// split by their Content-Length (no body for a reply to HEAD), so a test can
// tell that exactly one reply came, and that the connection was closed.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/http_client.hpp"

namespace qs::test {

struct raw_outcome {
  std::vector<http_reply> replies;
  bool closed = false;  ///< the server closed the connection
  std::string trailing; ///< bytes after the last whole reply
};

/// The replies in `bytes`, in order; `head[i]` marks reply i as answering HEAD.
raw_outcome parse_replies(std::string_view bytes, const std::vector<bool>& head = {});

/// Sends `request` on a fresh connection and reads until the server closes it
/// or `wait` passes.
raw_outcome exchange(std::uint16_t port, std::string_view request,
                     std::chrono::milliseconds wait = std::chrono::seconds(3),
                     const std::vector<bool>& head = {});

/// Sends `prefix`, then `filler` again and again until `total` bytes of it are
/// sent or the server stops taking them, then `suffix`; reads like `exchange`.
raw_outcome stream(std::uint16_t port, std::string_view prefix, std::string_view filler,
                   std::size_t total, std::string_view suffix = {},
                   std::chrono::milliseconds wait = std::chrono::seconds(5));

} // namespace qs::test
