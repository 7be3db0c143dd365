#include "tests/support/raw_http.hpp"

#include <cerrno>
#include <stdexcept>

#include "tests/support/text.hpp"

namespace qs::test {
raw_outcome parse_replies(std::string_view bytes, const std::vector<bool>& head) {
  raw_outcome out;
  while (!bytes.empty()) {
    auto end = bytes.find("\r\n\r\n");
    if (end == std::string_view::npos || bytes.substr(0, 5) != "HTTP/")
      break;
    http_reply reply;
    std::string_view header = bytes.substr(0, end);
    auto line_end = header.find("\r\n");
    std::string_view status_line = header.substr(0, line_end);
    if (status_line.size() < 12)
      break;
    reply.status = std::stoi(std::string(status_line.substr(9, 3)));
    while (line_end != std::string_view::npos) {
      header.remove_prefix(line_end + 2);
      line_end = header.find("\r\n");
      auto line = header.substr(0, line_end);
      auto colon = line.find(':');
      if (colon != std::string_view::npos)
        reply.headers[lower(std::string(line.substr(0, colon)))] = trim(line.substr(colon + 1));
    }
    std::size_t length = 0;
    const bool is_head = out.replies.size() < head.size() && head[out.replies.size()];
    if (auto it = reply.headers.find("content-length");
        it != reply.headers.end() && !is_head && reply.status >= 200)
      length = std::stoul(it->second);
    if (bytes.size() < end + 4 + length)
      break;
    reply.body = std::string(bytes.substr(end + 4, length));
    bytes.remove_prefix(end + 4 + length);
    out.replies.push_back(std::move(reply));
  }
  out.trailing = std::string(bytes);
  return out;
}

raw_outcome exchange(std::uint16_t port, std::string_view request, std::chrono::milliseconds wait,
                     const std::vector<bool>& head) {
  http_client client(port);
  client.send_raw(request);
  std::string bytes;
  const bool closed = client.read_until_closed(wait, bytes);
  auto out = parse_replies(bytes, head);
  out.closed = closed;
  return out;
}

raw_outcome stream(std::uint16_t port, std::string_view prefix, std::string_view filler,
                   std::size_t total, std::string_view suffix, std::chrono::milliseconds wait) {
  http_client client(port);
  client.send_raw(prefix);
  try {
    for (std::size_t sent = 0; sent < total; sent += filler.size())
      client.send_raw(filler);
    client.send_raw(suffix);
  } catch (const std::runtime_error&) {
    // The server answered and closed (a reset for what it will not read): read what it said.
  }
  std::string bytes;
  bool closed = false;
  try {
    closed = client.read_until_closed(wait, bytes);
  } catch (const std::runtime_error&) {
    closed = true;
  }
  auto out = parse_replies(bytes);
  out.closed = closed;
  return out;
}

} // namespace qs::test
