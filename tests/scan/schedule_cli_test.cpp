// `qscan schedule add|list|rm` as a user runs it against a real `qscan serve`: a
// schedule of key files is made and runs at once (its scan job in the list, the
// file's asset in the estate), bad input is refused with each bad member's path
// and exit 1, an unknown id is 404, and an unreachable bridge says so.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "tests/support/http_client.hpp"
#include "tests/support/qscan_server.hpp"
#include "tests/support/run_qscan.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/wait.hpp"

using namespace qs::test;

TEST_CASE("qscan schedule add, list and rm drive a running bridge's schedules",
          "[scan][schedule][cli]") {
  temp_dir keys;
  {
    std::ofstream(keys.file("id_ecdsa.pub"))
        << "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmK"
           "1cMHn9WwAqvqoYXs9Hmcdpd4JmznhCqyEtb3zmYbyIKG4fDy2+EOUBPrOt7mXgU0JxpF+0c+51PvtFUY4Vw="
           " host\n";
  }
  qscan_server server({"--scan-files-root", keys.path()});
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port());
  auto qscan = [&](std::vector<std::string> args) {
    args.insert(args.begin(), "schedule");
    args.insert(args.end(), {"--url", url});
    return run_qscan(args, keys.path());
  };

  auto added = qscan({"add", "--every", "1d", "--name", "keys", "file://" + keys.path()});
  INFO(added.err);
  REQUIRE(added.code == 0);
  const auto id = added.out.substr(0, added.out.find(' '));
  CHECK(id.rfind("sch-", 0) == 0);
  CHECK(added.out.find("every 1d") != std::string::npos);

  // It runs at once: a done scan job of the schedule, and the file's asset listed.
  http_client client(server.port());
  REQUIRE(wait_until(
      [&] {
        auto scans = client.request("GET", "/v1/scans");
        if (scans.status != 200)
          return false;
        const auto listed = scans.json();
        for (const auto& job : listed.at("scans").as_array())
          if (job.at("schedule") == id.c_str() && job.at("status") == "done")
            return true;
        return false;
      },
      std::chrono::seconds(30)));
  CHECK(client.request("GET", "/v1/assets?q=id_ecdsa").body.find("id_ecdsa.pub") !=
        std::string::npos);

  auto listed = qscan({"list"});
  REQUIRE(listed.code == 0);
  CHECK(listed.out.find(id) != std::string::npos);
  CHECK(listed.out.find("last scan-") != std::string::npos);
  CHECK(listed.out.find("file://" + keys.path()) != std::string::npos);

  auto bad = qscan({"add", "--cron", "0 3 * *", "--jitter", "soon", "tls://127.0.0.1:1"});
  CHECK(bad.code == 1);
  CHECK(bad.err.find("cron: expected five fields") != std::string::npos);
  CHECK(bad.err.find("jitter: ") != std::string::npos);

  auto removed = qscan({"rm", id});
  CHECK(removed.code == 0);
  auto again = qscan({"rm", id});
  CHECK(again.code == 1);
  CHECK(again.err.find("404 not_found") != std::string::npos);
  CHECK(qscan({"list"}).out.empty());

  auto unreachable = run_qscan({"schedule", "list", "--url", "http://127.0.0.1:1"}, keys.path());
  CHECK(unreachable.code == 1);
  CHECK(unreachable.err.find("cannot connect to http://127.0.0.1:1") != std::string::npos);
  CHECK(run_qscan({"schedule", "add", "--every", "1h"}, keys.path()).code == 2); // no target
}
