#include "tests/scan/scan_api.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/support/wait.hpp"

namespace qs::test {

namespace json = boost::json;

const std::vector<std::pair<std::string, std::string>> json_type = {
    {"Content-Type", "application/json"}};

std::string targets_body(const std::vector<std::string>& targets, const std::string& extra) {
  json::array list;
  for (const auto& t : targets)
    list.emplace_back(t);
  return "{\"targets\":" + json::serialize(list) + extra + "}";
}

std::string percent_encoded(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_') {
      out += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

// Polls the job until it is finished; returns its last status.
json::object wait_for_job(http_client& client, const std::string& id,
                          const std::vector<std::pair<std::string, std::string>>& headers) {
  json::object job;
  const bool finished = wait_until(
      [&] {
        auto r = client.request("GET", "/v1/scans/" + id + "?limit=1", "", headers);
        if (r.status != 200)
          return false;
        job = r.json().as_object();
        return job.at("status") == "done" || job.at("status") == "failed";
      },
      std::chrono::seconds(90));
  INFO(json::serialize(job));
  REQUIRE(finished);
  return job;
}

// Every result of a job, read a page of `page` at a time.
json::array all_results(http_client& client, const std::string& id, int page) {
  json::array out;
  std::string cursor;
  for (int pages = 0; pages < 1000; ++pages) {
    auto r = client.request("GET", "/v1/scans/" + id + "?limit=" + std::to_string(page) +
                                       (cursor.empty() ? "" : "&cursor=" + cursor));
    REQUIRE(r.status == 200);
    auto body = r.json().as_object();
    CHECK(body.at("results").as_array().size() <= static_cast<std::size_t>(page));
    for (auto& item : body.at("results").as_array())
      out.push_back(item);
    if (body.at("next").is_null())
      return out;
    cursor = std::string(body.at("next").as_string());
  }
  FAIL("more than 1000 pages");
  return out;
}

silent_port::silent_port() {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  REQUIRE(::listen(fd_, 128) == 0);
  socklen_t len = sizeof a;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  REQUIRE(::pipe2(stop_, O_CLOEXEC) == 0);
  accepting_ = std::thread([listener = fd_, stop = stop_[0]] {
    std::vector<int> held;
    for (;;) {
      pollfd p[2] = {{listener, POLLIN, 0}, {stop, POLLIN, 0}};
      if (::poll(p, 2, -1) < 0 && errno != EINTR)
        break;
      if (p[1].revents != 0)
        break;
      if (p[0].revents != 0)
        if (const int c = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC); c >= 0)
          held.push_back(c);
    }
    for (const int c : held)
      ::close(c);
  });
}

silent_port::~silent_port() {
  close();
}

void silent_port::close() {
  if (accepting_.joinable()) {
    const char stop = 1;
    (void)!::write(stop_[1], &stop, 1);
    accepting_.join();
    ::close(stop_[0]);
    ::close(stop_[1]);
  }
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
}

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

bool port_open(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool up = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return up;
}

} // namespace qs::test
