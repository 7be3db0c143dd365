// The key and allow-list commands an operator runs before starting nodes.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace qs::test;

namespace {

struct run_result {
  int code = -1;
  std::string out;
};

run_result run(std::vector<std::string> args) {
  args.insert(args.begin(), QSCAN_BINARY);
  auto p = child_process::start(std::move(args));
  run_result r;
  try {
    for (;;)
      r.out += p.wait_for_line("", std::chrono::seconds(20)) + "\n";
  } catch (const std::exception&) {
  }
  r.code = p.wait(std::chrono::seconds(20));
  r.out += p.stderr_tail();
  return r;
}

} // namespace

TEST_CASE("qscan keys gen writes a secret only its owner can read and never overwrites it",
          "[cluster]") {
  temp_dir dir;
  const auto keys = dir.file("keys");
  auto first = run({"keys", "gen", keys});
  REQUIRE(first.code == 0);
  struct stat st {};
  REQUIRE(::stat((keys + "/node.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto again = run({"keys", "gen", keys});
  CHECK(again.code == 1);
  CHECK(again.out.find("--force") != std::string::npos);
  auto show = run({"keys", "show", keys});
  CHECK(show.code == 0);
  CHECK(show.out.find(first.out.substr(0, 40)) != std::string::npos);
  CHECK(show.out.find("node-") != std::string::npos);
}

TEST_CASE("qscan cluster allow, list and revoke change the allow-list folder", "[cluster]") {
  temp_dir dir;
  REQUIRE(run({"keys", "gen", dir.file("worker")}).code == 0);
  const auto allow = dir.file("allow");
  auto allowed =
      run({"cluster", "allow", dir.file("worker") + "/node.pub", "worker-1", "--allow", allow});
  REQUIRE(allowed.code == 0);
  CHECK(run({"cluster", "list", "--allow", allow}).out.find("worker-1") != std::string::npos);
  CHECK(run({"cluster", "allow", "not-a-key", "x", "--allow", allow}).code == 1);
  REQUIRE(run({"cluster", "revoke", "worker-1", "--allow", allow}).code == 0);
  CHECK(run({"cluster", "list", "--allow", allow}).out.find("worker-1") == std::string::npos);
  CHECK(run({"cluster", "revoke", "worker-1", "--allow", allow}).code == 1);
  CHECK(run({"cluster", "allow"}).code == 2);
}
