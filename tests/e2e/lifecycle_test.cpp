// The qscan command itself: version, help, options from file, environment
// and flags, and refusing an unsafe listen address.
#include <catch2/catch.hpp>

#include <fstream>

#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/qscan_server.hpp"
#include "tests/support/temp_dir.hpp"

using namespace qs::test;

namespace {

std::string run_to_end(std::vector<std::string> argv, int& exit_code,
                       std::map<std::string, std::string> env = {}) {
  auto p = child_process::start(std::move(argv), std::move(env));
  std::string out;
  try {
    for (;;)
      out += p.wait_for_line("", std::chrono::seconds(20)) + "\n";
  } catch (const std::exception&) {
  }
  exit_code = p.wait(std::chrono::seconds(20));
  return out + p.stderr_tail();
}

} // namespace

TEST_CASE("qscan --version and --help describe the command and every serve flag", "[lifecycle]") {
  int code = -1;
  CHECK(run_to_end({QSCAN_BINARY, "--version"}, code).find("qscan ") == 0);
  CHECK(code == 0);
  const auto help = run_to_end({QSCAN_BINARY, "serve", "--help"}, code);
  CHECK(code == 0);
  for (const char* flag : {"--listen", "--data-dir", "--api-keys", "--insecure-listen",
                           "--body-limit", "QSCAN_LISTEN", "--config"})
    CHECK(help.find(flag) != std::string::npos);
}

TEST_CASE("a non-loopback listen address without keys is refused with a reason", "[lifecycle]") {
  temp_dir data;
  int code = -1;
  const auto out =
      run_to_end({QSCAN_BINARY, "serve", "--listen", "0.0.0.0:0", "--data-dir", data.path()}, code);
  CHECK(code == 2);
  CHECK(out.find("--api-keys") != std::string::npos);
}

TEST_CASE("a bad option value is named with where it came from", "[lifecycle]") {
  temp_dir data;
  int code = -1;
  auto out = run_to_end({QSCAN_BINARY, "serve", "--data-dir", data.path()}, code,
                        {{"QSCAN_PREDICTOR_WORKERS", "many"}});
  CHECK(code == 2);
  CHECK(out.find("QSCAN_PREDICTOR_WORKERS") != std::string::npos);
  out = run_to_end({QSCAN_BINARY, "serve", "--no-such-flag"}, code);
  CHECK(code == 2);
  CHECK(out.find("--no-such-flag") != std::string::npos);
}

TEST_CASE("flags win over the environment, which wins over the config file", "[lifecycle]") {
  temp_dir dir;
  {
    std::ofstream(dir.file("qscan.conf")) << "# test config\nlisten = 127.0.0.1:1\n"
                                          << "data-dir = " << dir.file("from-file") << "\n";
  }
  // The file says port 1 and data in from-file; the environment moves the
  // data; the flag (added by qscan_server) moves the port to 0.
  qscan_server server({"--config", dir.file("qscan.conf")}, dir.file("from-flag"),
                      {{"QSCAN_DATA_DIR", dir.file("from-env")}});
  http_client client(server.port());
  REQUIRE(client
              .request("POST", "/ai-threat-predictor/predict", scan_results_body(1),
                       {{"Content-Type", "application/json"}})
              .status == 200);
  std::ifstream flag_db(dir.file("from-flag") + "/qscan.db");
  CHECK(flag_db.good());
  std::ifstream env_db(dir.file("from-env") + "/qscan.db");
  CHECK(!env_db.good());
}
