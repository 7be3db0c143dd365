// One source of truth across a cluster of real `qscan node` processes, each on its own
// data folder as on separate machines: only persistence nodes hold the database, every
// other node reads and writes cluster state through them, a database belongs to one
// cluster, and a cluster has one SQLite persistence node at most.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <set>

#include <boost/json.hpp>

#include "tests/support/http_client.hpp"
#include "tests/support/qscan_cluster.hpp"
#include "tests/support/qscan_server.hpp"
#include "tests/support/wait.hpp"

using namespace qs::test;
using namespace std::chrono_literals;

namespace {

const std::vector<std::pair<std::string, std::string>> json_type = {
    {"Content-Type", "application/json"}};

/// Every file under `dir`, relative to it.
std::set<std::string> files_in(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file())
      names.insert(std::filesystem::relative(e.path(), dir).string());
  return names;
}

std::string cluster_id_of(std::uint16_t bridge_port) {
  http_client client(bridge_port);
  auto view = client.request("GET", "/v1/cluster");
  REQUIRE(view.status == 200);
  return std::string(view.json().at("cluster_id").as_string());
}

/// `qscan cluster id --database URL`: what the database records (exit code, output).
std::pair<int, std::string> database_cluster_id(const std::string& url) {
  auto run = child_process::start({QSCAN_BINARY, "cluster", "id", "--database", url});
  std::string line;
  try {
    line = run.wait_for_line("", 30s);
  } catch (const std::exception&) {
  }
  return {run.wait(30s), line};
}

} // namespace

TEST_CASE("nodes without the persistence role keep no database of cluster state in their folders",
          "[cluster][storage]") {
  qscan_cluster cluster;
  auto load = run_load(cluster.bridge_port(), 50, 2, "f-");
  REQUIRE(load.answered == 50);
  CHECK(load.degraded == 0);
  // Read back through the bridge, whose folder holds no copy of them.
  CHECK(stored_total(cluster.bridge_port(), "f-7") == 1);

  for (const char* node : {"coordinator", "worker-2", "bridge"}) {
    INFO(node);
    for (const auto& file : files_in(cluster.data_dir(node))) {
      INFO(file);
      // The bridge's spool (its own durable queue), the coordinator's cluster id.
      const bool allowed = file == "cluster-id" || file.rfind("spool.db", 0) == 0;
      CHECK(allowed);
    }
  }
  CHECK(files_in(cluster.data_dir("worker-1")).count("qscan.db") == 1);
}

TEST_CASE("a node without the persistence role refuses --database with the reason",
          "[cluster][storage]") {
  qscan_cluster cluster(with_workers(1));
  auto& refused =
      cluster.start_worker("reader", {"--database", "sqlite:" + cluster.dir() + "/other.db"}, true,
                           false, "predictor,anomaly");
  CHECK(refused.wait(30s) == 2);
  CHECK_THAT(refused.stderr_tail(), Catch::Contains("--database") &&
                                        Catch::Contains("only a node with the persistence role"));
  CHECK_FALSE(std::filesystem::exists(cluster.dir() + "/other.db"));
}

TEST_CASE("a persistence node given another cluster's database exits non-zero and prints both "
          "ids",
          "[cluster][storage]") {
  // A database that `qscan serve` (a cluster of its own) has used.
  temp_dir elsewhere;
  {
    qscan_server other({}, elsewhere.path());
    http_client client(other.port());
    REQUIRE(client.request("POST", "/ai-threat-predictor/predict", scan_results_body(1), json_type)
                .status == 200);
    REQUIRE(other.stop() == 0);
  }
  const std::string foreign = "sqlite:" + elsewhere.file("qscan.db");
  const auto [code, owner] = database_cluster_id(foreign);
  REQUIRE(code == 0);
  REQUIRE(owner.rfind("qc-", 0) == 0);

  qscan_cluster cluster(with_workers(1));
  const std::string ours = cluster_id_of(cluster.bridge_port());
  REQUIRE(ours != owner);
  auto& intruder = cluster.start_worker("intruder", {"--database", foreign}, true, false,
                                        "predictor,anomaly,persistence");
  const int exit_code = intruder.wait(30s);
  CHECK(exit_code != 0);
  CHECK(exit_code > 0); // it exits, it is not killed
  CHECK_THAT(intruder.stderr_tail(), Catch::Contains(owner) && Catch::Contains(ours));
  // The database still belongs to the other cluster.
  CHECK(database_cluster_id(foreign).second == owner);
}

TEST_CASE("a second SQLite persistence node is refused with the reason, and the first keeps "
          "serving",
          "[cluster][storage]") {
  qscan_cluster cluster;
  const std::string first_db = "sqlite:" + cluster.data_dir("worker-1") + "/qscan.db";
  for (const auto& database : {first_db, "sqlite:" + cluster.dir() + "/second.db"}) {
    INFO(database);
    auto& second =
        cluster.start_worker("second", {"--database", database}, true, false, "persistence");
    CHECK(second.wait(30s) > 0);
    CHECK_THAT(second.stderr_tail(),
               Catch::Contains("SQLite") && Catch::Contains("one persistence node"));
  }
  auto load = run_load(cluster.bridge_port(), 20, 2, "s-");
  CHECK(load.answered == 20);
  CHECK(load.degraded == 0);
  CHECK(stored_total(cluster.bridge_port(), "s-3") == 1);
}

TEST_CASE("the cluster id is the coordinator's, in /v1/cluster, /status and the database; a "
          "coordinator whose folder was lost is started again with --cluster-id",
          "[cluster][storage]") {
  cluster_options options;
  options.workers = 1;
  qscan_cluster cluster(options);
  http_client client(cluster.bridge_port());
  const std::string id = cluster_id_of(cluster.bridge_port());
  CHECK(id.rfind("qc-", 0) == 0);
  REQUIRE(wait_until(
      [&] { return client.request("GET", "/status").json().at("cluster_id") == id.c_str(); }, 10s));
  REQUIRE(
      client.request("POST", "/ai-threat-predictor/predict", scan_results_body(1, "id-"), json_type)
          .status == 200);
  const std::string database = "sqlite:" + cluster.data_dir("worker-1") + "/qscan.db";

  // The coordinator's folder is lost; its id is read from the persistence node's database.
  cluster.kill_coordinator();
  std::filesystem::remove_all(cluster.data_dir("coordinator"));
  const auto [code, recorded] = database_cluster_id(database);
  REQUIRE(code == 0);
  CHECK(recorded == id);
  cluster.restart_coordinator({"--cluster-id", recorded});
  REQUIRE(wait_until(
      [&] { return cluster_node(cluster.bridge_port(), "worker-1")["state"] == "up"; }, 30s));
  CHECK(cluster_id_of(cluster.bridge_port()) == id);
  CHECK(stored_total(cluster.bridge_port(), "id-0") == 1);
}

TEST_CASE("with no persistence node up, reads answer 503 storage_unavailable and writes are "
          "spooled, then replayed once one is back",
          "[cluster][storage][faults]") {
  qscan_cluster cluster;
  http_client client(cluster.bridge_port());
  REQUIRE(client
              .request("POST", "/ai-threat-predictor/predict", scan_results_body(1, "before-"),
                       json_type)
              .status == 200);
  cluster.worker("worker-1").signal(SIGKILL);
  cluster.worker("worker-1").wait(10s);
  REQUIRE(wait_until(
      [&] { return cluster_node(cluster.bridge_port(), "worker-1")["state"] == "dead"; }, 15s));

  auto read = client.request("GET", "/v1/assets/before-0");
  CHECK(read.status == 503);
  CHECK(read.json().at("error").at("code") == "storage_unavailable");
  auto written = client.request("POST", "/ai-threat-predictor/predict",
                                scan_results_body(1, "during-"), json_type);
  CHECK(written.status == 200);
  CHECK(written.json().at("degraded") == true);

  cluster.start_worker("worker-1", {}, true, true, "predictor,anomaly,persistence");
  CHECK(wait_until([&] { return stored_total(cluster.bridge_port(), "during-0") == 1; }, 30s));
  CHECK(stored_total(cluster.bridge_port(), "before-0") == 1);
}
