#include "tests/support/qscan_cluster.hpp"

#include <csignal>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "tests/support/http_client.hpp"
#include "tests/support/wait.hpp"

namespace qs::test {

namespace {

// Runs a qscan command to completion; throws when it fails.
void run(const std::vector<std::string>& argv) {
  auto process = child_process::start(argv);
  const int code = process.wait(std::chrono::seconds(30));
  if (code != 0)
    throw std::runtime_error(argv[1] + " " + argv[2] + " failed (" + std::to_string(code) +
                             "): " + process.stderr_tail());
}

} // namespace

qscan_cluster::qscan_cluster(cluster_options options)
    : options_(std::move(options)), dir_("qs-cluster-") {
  // Keys first, as an operator would: allowed before the coordinator starts.
  for (int i = 1; i <= options_.workers; ++i)
    keys_of("worker-" + std::to_string(i));
  keys_of("bridge");
  start_coordinator();
  for (int i = 1; i <= options_.workers; ++i)
    start_worker("worker-" + std::to_string(i), options_.worker_flags, true, true,
                 i <= options_.persistence_workers ? options_.worker_roles + ",persistence"
                                                   : options_.worker_roles);
  auto argv = node_argv("bridge", "bridge");
  argv.insert(argv.end(), {"--listen", "127.0.0.1:0"});
  bridge_ = std::make_unique<child_process>(child_process::start(argv));
  const std::string line = bridge_->wait_for_line("listening on http://", std::chrono::seconds(60));
  bridge_port_ = static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
  // The bridge answers at once (degraded until it has joined); tests start once the
  // whole cluster is up, as the bridge's full health says.
  http_client client(bridge_port_, std::chrono::seconds(10));
  const bool up = wait_until(
      [&] {
        auto health = client.request("GET", "/v1/health");
        return health.status == 200 && health.json().at("status") == "ok";
      },
      std::chrono::seconds(60));
  if (!up)
    throw std::runtime_error("the cluster did not come up: " + bridge_->stderr_tail());
}

std::string qscan_cluster::keys_of(const std::string& name, bool allow) {
  const std::string keys = dir_.file("keys/" + name);
  if (!std::filesystem::exists(keys + "/node.pub")) {
    run({QSCAN_BINARY, "keys", "gen", keys});
    if (allow)
      run({QSCAN_BINARY, "cluster", "allow", keys + "/node.pub", name, "--allow",
           dir_.file("allow")});
  }
  return keys;
}

std::vector<std::string> qscan_cluster::node_argv(const std::string& name,
                                                  const std::string& roles) {
  std::vector<std::string> argv = {QSCAN_BINARY,
                                   "node",
                                   "--roles",
                                   roles,
                                   "--id",
                                   name,
                                   "--keys",
                                   keys_of(name),
                                   "--data-dir",
                                   dir_.file("data/" + name),
                                   "--join",
                                   endpoint_,
                                   "--coordinator-key",
                                   keys_of("coordinator", false) + "/node.pub",
                                   "--heartbeat-ms",
                                   std::to_string(options_.heartbeat_ms)};
  if (roles.find("persistence") != std::string::npos && !options_.database.empty())
    argv.insert(argv.end(), {"--database", options_.database});
  return argv;
}

void qscan_cluster::start_coordinator(const std::vector<std::string>& flags) {
  std::vector<std::string> argv = {QSCAN_BINARY,
                                   "node",
                                   "--roles",
                                   options_.coordinator_roles,
                                   "--id",
                                   "coordinator",
                                   "--keys",
                                   keys_of("coordinator", false),
                                   "--data-dir",
                                   dir_.file("data/coordinator"),
                                   "--cluster-listen",
                                   endpoint_,
                                   "--allow",
                                   dir_.file("allow"),
                                   "--heartbeat-ms",
                                   std::to_string(options_.heartbeat_ms)};
  if (options_.coordinator_roles.find("persistence") != std::string::npos &&
      !options_.database.empty())
    argv.insert(argv.end(), {"--database", options_.database});
  argv.insert(argv.end(), options_.coordinator_flags.begin(), options_.coordinator_flags.end());
  argv.insert(argv.end(), flags.begin(), flags.end());
  coordinator_ = std::make_unique<child_process>(child_process::start(argv));
  const std::string line =
      coordinator_->wait_for_line("cluster listening on ", std::chrono::seconds(60));
  endpoint_ = line.substr(std::string("cluster listening on ").size());
}

child_process& qscan_cluster::start_worker(const std::string& name,
                                           const std::vector<std::string>& flags, bool allow,
                                           bool wait, const std::string& roles) {
  keys_of(name, allow);
  auto argv = node_argv(name, roles.empty() ? options_.worker_roles : roles);
  argv.insert(argv.end(), flags.begin(), flags.end());
  auto& slot = workers_[name];
  slot = std::make_unique<child_process>(child_process::start(argv));
  if (wait)
    slot->wait_for_line("joined ", std::chrono::seconds(60));
  return *slot;
}

void qscan_cluster::kill_coordinator() {
  coordinator_->signal(SIGKILL);
  coordinator_->wait(std::chrono::seconds(10));
}

void qscan_cluster::restart_coordinator(const std::vector<std::string>& flags) {
  start_coordinator(flags);
}

boost::json::object cluster_node(std::uint16_t bridge_port, const std::string& id) {
  http_client client(bridge_port, std::chrono::seconds(10));
  auto reply = client.request("GET", "/v1/cluster");
  if (reply.status != 200)
    return {};
  const boost::json::value view = reply.json();
  for (const auto& node : view.at("nodes").as_array())
    if (node.at("id") == id.c_str())
      return node.as_object();
  return {};
}

std::int64_t stored_total(std::uint16_t port, const std::string& asset_id) {
  http_client client(port, std::chrono::seconds(10));
  auto reply = client.request("GET", "/v1/assets/" + asset_id);
  if (reply.status != 200)
    return 0;
  return reply.json().at("total").as_int64();
}

load_outcome run_load(std::uint16_t port, int requests, int threads, const std::string& prefix,
                      std::atomic<int>* sent) {
  std::atomic<int> next{0};
  std::mutex mutex;
  load_outcome total;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      http_client client(port, std::chrono::seconds(30));
      load_outcome mine;
      for (int i = next++; i < requests; i = next++) {
        const std::string asset = prefix + std::to_string(i);
        try {
          auto reply = client.request("POST", "/ai-threat-predictor/predict",
                                      R"({"scan_results":[{"asset_id":")" + asset +
                                          R"(","vulnerabilities":[{"type":"weak_crypto",)"
                                          R"("severity":"high","algorithm":"RSA-1024"}]}]})",
                                      {{"Content-Type", "application/json"}});
          if (reply.status == 200) {
            ++mine.answered;
            mine.assets.push_back(asset);
            if (reply.json().at("degraded") == true)
              ++mine.degraded;
          } else {
            ++mine.failed;
          }
        } catch (const std::exception&) {
          ++mine.failed;
        }
        if (sent)
          ++*sent;
      }
      std::lock_guard<std::mutex> lock(mutex);
      total.answered += mine.answered;
      total.degraded += mine.degraded;
      total.failed += mine.failed;
      total.assets.insert(total.assets.end(), mine.assets.begin(), mine.assets.end());
    });
  for (auto& thread : pool)
    thread.join();
  return total;
}

} // namespace qs::test
