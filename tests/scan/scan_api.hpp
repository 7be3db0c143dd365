// The scan API as a test client uses it (tests/scan): bodies, waiting for a
// job, reading all its pages, and endpoints that never answer.
#pragma once

#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "tests/support/http_client.hpp"

namespace qs::test {

extern const std::vector<std::pair<std::string, std::string>> json_type;

/// {"targets": [...]EXTRA}: `extra` is appended inside the object (",\"options\":{...}").
std::string targets_body(const std::vector<std::string>& targets, const std::string& extra = "");
std::string percent_encoded(const std::string& text);

/// Polls GET /v1/scans/{id} until the job is done or failed (90 s at most, else the
/// test fails); returns its last status.
boost::json::object
wait_for_job(http_client& client, const std::string& id,
             const std::vector<std::pair<std::string, std::string>>& headers = {});

/// Every result of a job, read `page` at a time by following `next`.
boost::json::array all_results(http_client& client, const std::string& id, int page);

/// A TCP port that accepts connections, holds them open and never says a word:
/// every probe waits for its timeout.
class silent_port {
public:
  silent_port();
  ~silent_port();
  silent_port(const silent_port&) = delete;
  silent_port& operator=(const silent_port&) = delete;
  std::string target() const { return "tls://127.0.0.1:" + std::to_string(port_); }
  /// Stops listening and closes what it accepted: connections to the port are
  /// refused from now on.
  void close();

private:
  int fd_ = -1;
  int port_ = 0;
  int stop_[2] = {-1, -1}; // a pipe: written to stop the accepting thread
  std::thread accepting_;
};

/// A loopback port free a moment ago.
int free_port();
/// Does something accept connections on 127.0.0.1:`port`?
bool port_open(int port);

} // namespace qs::test
