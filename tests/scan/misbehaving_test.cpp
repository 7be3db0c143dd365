// Servers that misbehave, written here: an alert, a close mid-handshake,
// garbage, silence until the timeout, a truncated record, one that relays a
// real server a byte per write, and one in front of a real server that refuses
// a TLS 1.3 hello without a key share (instead of a HelloRetryRequest).
// Nothing crashes or hangs; each target is a result with its error, and the
// relayed servers read as the real ones.
#include <catch2/catch.hpp>

#include <atomic>
#include <optional>
#include <string_view>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/scan/lab.hpp"

using namespace qs::test;
namespace json = boost::json;

namespace {

enum class behaviour {
  alert,
  close_after_hello,
  garbage,
  silent,
  truncated,
  trickle,
  no_retry,
  false_retry
};

// What a relay needs of a ClientHello.
struct hello_facts {
  bool shareless = false;        ///< a key_share extension with no share in it
  std::string session_id;        ///< to echo
  std::uint16_t tls13_suite = 0; ///< the first TLS 1.3 suite offered
  std::uint16_t group = 0;       ///< the first group offered
};

// `records` (TLS records from the client) read as a ClientHello; nullopt while
// the ClientHello in them is incomplete.
std::optional<hello_facts> read_hello(const std::string& records) {
  std::string msg;
  for (std::size_t at = 0; at + 5 <= records.size();) {
    const std::size_t len = (std::uint8_t(records[at + 3]) << 8) | std::uint8_t(records[at + 4]);
    if (at + 5 + len > records.size())
      break;
    msg += records.substr(at + 5, len);
    at += 5 + len;
  }
  if (msg.size() < 4)
    return std::nullopt;
  const std::size_t body =
      (std::uint8_t(msg[1]) << 16) | (std::uint8_t(msg[2]) << 8) | std::uint8_t(msg[3]);
  if (msg.size() < 4 + body)
    return std::nullopt;
  hello_facts out;
  std::size_t at = 4 + 2 + 32;
  auto u8 = [&] { return at < msg.size() ? std::uint8_t(msg[at++]) : 0; };
  auto u16 = [&] {
    const std::size_t hi = u8();
    return static_cast<std::uint16_t>((hi << 8) | u8());
  };
  const std::size_t id = u8();
  out.session_id = msg.substr(at, id);
  at += id;
  for (std::size_t n = u16() / 2; n > 0; --n)
    if (const auto suite = u16(); (suite >> 8) == 0x13 && !out.tls13_suite)
      out.tls13_suite = suite;
  at += u8(); // compression methods
  const std::size_t end = at + 2 + u16();
  while (at + 4 <= end && at + 4 <= msg.size()) {
    const auto type = u16();
    const auto len = u16();
    if (type == 10 && len >= 4) // supported_groups
      out.group =
          static_cast<std::uint16_t>(std::uint8_t(msg[at + 2]) << 8 | std::uint8_t(msg[at + 3]));
    if (type == 51) // key_share: client_shares<0..2^16-1>
      out.shareless = len >= 2 && (std::uint8_t(msg[at]) << 8 | std::uint8_t(msg[at + 1])) == 0;
    at += len;
  }
  return out;
}

// A HelloRetryRequest (RFC 8446 4.1.3) for `hello`, in a record.
std::string hello_retry(const hello_facts& hello) {
  static const unsigned char magic[32] = {0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11,
                                          0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
                                          0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E,
                                          0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};
  auto put16 = [](std::string& s, std::size_t v) {
    s += static_cast<char>(v >> 8);
    s += static_cast<char>(v & 0xFF);
  };
  std::string body("\x03\x03", 2);
  body.append(reinterpret_cast<const char*>(magic), sizeof magic);
  body += static_cast<char>(hello.session_id.size());
  body += hello.session_id;
  put16(body, hello.tls13_suite);
  body += '\0'; // compression
  std::string ext;
  put16(ext, 43); // supported_versions: TLS 1.3
  put16(ext, 2);
  put16(ext, 0x0304);
  put16(ext, 51); // key_share: the group it asks for
  put16(ext, 2);
  put16(ext, hello.group);
  put16(body, ext.size());
  body += ext;
  std::string message("\x02", 1);
  message += static_cast<char>(body.size() >> 16);
  put16(message, body.size() & 0xFFFF);
  message += body;
  std::string record("\x16\x03\x03", 3);
  put16(record, message.size());
  return record + message;
}

// A TCP server on 127.0.0.1 that answers every connection the way it is told.
class fake_server {
public:
  explicit fake_server(behaviour b, std::uint16_t upstream = 0) : b_(b), upstream_(upstream) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd_, 64) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~fake_server() {
    stop_ = true;
    acceptor_.join();
    for (auto& t : workers_)
      t.join();
    ::close(fd_);
  }
  std::string url(const char* scheme = "tls") const {
    return std::string(scheme) + "://127.0.0.1:" + std::to_string(port_);
  }

private:
  static bool readable(int fd, int ms) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, ms) > 0;
  }

  void accept_loop() {
    while (!stop_) {
      if (!readable(fd_, 50))
        continue;
      const int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c >= 0)
        workers_.emplace_back([this, c] { serve(c); });
    }
  }

  void serve(int c) {
    int one = 1;
    ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char buf[16384];
    auto read_some = [&] { return readable(c, 2000) ? ::recv(c, buf, sizeof buf, 0) : -1; };
    switch (b_) {
    case behaviour::alert:
      read_some();
      ::send(c, "\x15\x03\x03\x00\x02\x02\x28", 7, MSG_NOSIGNAL); // fatal handshake_failure
      break;
    case behaviour::close_after_hello:
      read_some();
      break;
    case behaviour::garbage:
      ::send(c, "HTTP/1.1 400 Bad Request\r\n\r\n", 28, MSG_NOSIGNAL);
      break;
    case behaviour::silent:
      while (!stop_ && read_some() != 0)
        ;
      break;
    case behaviour::truncated:
      read_some();
      ::send(c, "\x16\x03\x03\x00\x64\x02\x00\x00", 8, MSG_NOSIGNAL); // a record of 100, 3 sent
      break;
    case behaviour::trickle:
    case behaviour::no_retry:
    case behaviour::false_retry:
      relay(c);
      break;
    }
    ::close(c);
  }

  // Client to server as it comes; server to client one byte per write.
  void relay(int c) {
    const int u = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(upstream_);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(u, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      ::close(u);
      return;
    }
    char buf[16384];
    std::string hello; // no_retry, false_retry: the ClientHello, held until it is whole
    bool checked = b_ == behaviour::trickle;
    pollfd p[2] = {{c, POLLIN, 0}, {u, POLLIN, 0}};
    while (!stop_ && ::poll(p, 2, 2000) > 0) {
      if (p[0].revents) {
        const auto n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0)
          break;
        std::string_view data(buf, static_cast<std::size_t>(n));
        if (!checked) {
          hello.append(data);
          const auto facts = read_hello(hello);
          if (!facts)
            continue;
          if (facts->shareless && b_ == behaviour::no_retry) {
            ::send(c, "\x15\x03\x03\x00\x02\x02\x28", 7, MSG_NOSIGNAL); // handshake_failure
            break;
          }
          if (facts->shareless && facts->tls13_suite && facts->group) { // false_retry
            const auto retry = hello_retry(*facts);
            ::send(c, retry.data(), retry.size(), MSG_NOSIGNAL);
            break;
          }
          checked = true;
          data = hello;
        }
        if (::send(u, data.data(), data.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(data.size()))
          break;
      }
      if (p[1].revents) {
        const auto n = ::recv(u, buf, sizeof buf, 0);
        if (n <= 0)
          break;
        if (b_ != behaviour::trickle) {
          if (::send(c, buf, static_cast<std::size_t>(n), MSG_NOSIGNAL) != n)
            break;
          continue;
        }
        for (ssize_t i = 0; i < n; ++i)
          if (::send(c, buf + i, 1, MSG_NOSIGNAL) != 1)
            break;
      }
    }
    ::close(u);
  }

  behaviour b_;
  std::uint16_t upstream_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread acceptor_;
  std::vector<std::thread> workers_; // touched by the acceptor thread only, joined after it
};

std::string error_of(const json::array& results, const std::string& url) {
  const auto& e = result_for(results, url).at("error");
  return e.is_null() ? "" : std::string(e.as_string());
}

} // namespace

TEST_CASE("an alert, a close, garbage, silence and a truncated record are each a result with "
          "its error, never a crash or a hang",
          "[scan][faults]") {
  fake_server alert(behaviour::alert), closer(behaviour::close_after_hello),
      garbage(behaviour::garbage), silent(behaviour::silent), truncated(behaviour::truncated);
  auto run = qscan_scan({"--format", "json", "--timeout", "700", alert.url(), closer.url(),
                         garbage.url(), silent.url(), truncated.url(), garbage.url("ssh"),
                         silent.url("ssh"), "tls://127.0.0.1:1"});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const auto results = run.results();
  REQUIRE(results.size() == 8);
  CHECK(error_of(results, alert.url()) == "handshake_failure alert");
  CHECK(error_of(results, closer.url()).find("before a ServerHello") != std::string::npos);
  CHECK(error_of(results, garbage.url()).rfind("not TLS", 0) == 0);
  CHECK(error_of(results, silent.url()).find("timed out") != std::string::npos);
  CHECK(!error_of(results, truncated.url()).empty());
  CHECK(error_of(results, garbage.url("ssh")).rfind("not SSH", 0) == 0);
  CHECK(error_of(results, silent.url("ssh")).find("timed out") != std::string::npos);
  CHECK(error_of(results, "tls://127.0.0.1:1") == "connection refused");
}

TEST_CASE("a server's answer one byte per read gives the same inventory as the server itself",
          "[scan][faults]") {
  const auto direct = lab_targets().at("tls12");
  const auto port = static_cast<std::uint16_t>(std::stoi(direct.substr(direct.rfind(':') + 1)));
  fake_server trickle(behaviour::trickle, port);
  auto run = qscan_scan({"--format", "json", direct, trickle.url()});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const auto results = run.results();
  const auto& a = result_for(results, direct);
  const auto& b = result_for(results, trickle.url());
  REQUIRE(b.at("error").is_null());
  for (const char* field : {"protocols", "cipher_suites", "groups", "signature_schemes"})
    CHECK(json::serialize(a.at("tls").at(field)) == json::serialize(b.at("tls").at(field)));
  CHECK(a.at("tls").at("certificates").at(0).at("sha256") ==
        b.at("tls").at("certificates").at(0).at("sha256"));
}

TEST_CASE("a server that refuses a TLS 1.3 hello without a key share (no HelloRetryRequest) is "
          "probed with shares, and reads as the server itself",
          "[scan][faults][probing]") {
  for (const char* name : {"rsa2048", "tls13", "nginx"}) {
    INFO(name);
    const auto direct = lab_targets().at(name);
    const auto port = static_cast<std::uint16_t>(std::stoi(direct.substr(direct.rfind(':') + 1)));
    fake_server refusing(behaviour::no_retry, port);
    auto run = qscan_scan({"--format", "json", direct, refusing.url()});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    const auto results = run.results();
    const auto& a = result_for(results, direct);
    const auto& b = result_for(results, refusing.url());
    REQUIRE(b.at("error").is_null());
    for (const auto& field : a.at("tls").as_object()) {
      INFO(field.key());
      CHECK(json::serialize(field.value()) == json::serialize(b.at("tls").at(field.key())));
    }
    // Asked with shares, the server signs for TLS 1.3 answers it gave for free before.
    CHECK(b.at("probes").at("server_signed").as_int64() >
          a.at("probes").at("server_signed").as_int64());
  }
}

TEST_CASE("a server that answers a TLS 1.3 hello without a key share with a HelloRetryRequest but "
          "cannot finish TLS 1.3 is not reported with TLS 1.3",
          "[scan][faults][probing]") {
  // In front of the TLS 1.2-only server: every TLS 1.3 hello without a share gets a
  // HelloRetryRequest from the relay, every other hello goes to the server.
  const auto direct = lab_targets().at("tls12");
  const auto port = static_cast<std::uint16_t>(std::stoi(direct.substr(direct.rfind(':') + 1)));
  fake_server retrying(behaviour::false_retry, port);
  auto run = qscan_scan({"--format", "json", direct, retrying.url()});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const auto results = run.results();
  const auto& a = result_for(results, direct);
  const auto& b = result_for(results, retrying.url());
  REQUIRE(b.at("error").is_null());
  CHECK(strings(b.at("tls").at("protocols")) == std::vector<std::string>{"TLSv1.2"});
  // The relay's HelloRetryRequests were taken (TLS 1.3 suites and groups were
  // probed through them) before the check with key shares dropped TLS 1.3.
  CHECK(b.at("probes").at("sent").as_int64() > a.at("probes").at("sent").as_int64() + 5);
  for (const auto& field : a.at("tls").as_object()) {
    INFO(field.key());
    CHECK(json::serialize(field.value()) == json::serialize(b.at("tls").at(field.key())));
  }
}
