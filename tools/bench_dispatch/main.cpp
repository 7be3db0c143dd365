// qs-bench-dispatch: how many tasks per second one coordinator dispatches. A real
// coordinator link (CURVE ROUTER, ZAP, membership, credits, the dispatcher) and N real
// node links (CURVE DEALERs) in this process on loopback; the workers answer every
// task at once with an empty result, so what is measured is the coordinator's side:
// TASK out, RESULT and READY in, bookkeeping. Prints one Markdown table row.
//
//   qs-bench-dispatch [--workers 4] [--tasks 200000] [--capacity 256] [--body-bytes 64]
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <zmq.hpp>

#include "protocol/cbor.hpp"
#include "runtime/cluster/allow_list.hpp"
#include "runtime/cluster/coordinator_link.hpp"
#include "runtime/cluster/curve_keys.hpp"
#include "runtime/cluster/node_link.hpp"

using namespace qs::runtime::cluster;
using clock_type = std::chrono::steady_clock;

namespace {

int flag(int argc, char** argv, const std::string& name, int fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == "--" + name)
      return std::atoi(argv[i + 1]);
  return fallback;
}

int die(const std::string& why) {
  std::cerr << "qs-bench-dispatch: " << why << "\n";
  return 1;
}

} // namespace

int main(int argc, char** argv) {
  const int workers = flag(argc, argv, "workers", 4);
  const int tasks = flag(argc, argv, "tasks", 200000);
  const int capacity = flag(argc, argv, "capacity", 256);
  // The payload: one CBOR item, a byte string of that many bytes.
  const std::string body =
      qs::protocol::cbor::writer()
          .bytes(std::string(static_cast<std::size_t>(flag(argc, argv, "body-bytes", 64)), 'x'))
          .release();

  char pattern[] = "/tmp/qs-bench-dispatch-XXXXXX";
  if (!mkdtemp(pattern))
    return die("cannot make a temporary folder");
  const std::filesystem::path dir(pattern);
  auto coordinator_keys = generate_keys((dir / "coordinator").string());
  if (!coordinator_keys)
    return die(coordinator_keys.error().message);
  std::vector<key_pair> worker_keys;
  for (int i = 0; i < workers; ++i) {
    const auto keys_dir = dir / ("w" + std::to_string(i));
    auto keys = generate_keys(keys_dir.string());
    if (!keys)
      return die(keys.error().message);
    if (auto ok = allow((dir / "allow").string(), keys->public_key, "w" + std::to_string(i)); !ok)
      return die(ok.error().message);
    worker_keys.push_back(*keys);
  }

  // Two contexts, as two processes would have: the coordinator's I/O thread (where
  // CURVE encrypts) is not shared with the workers'.
  zmq::context_t context;
  zmq::context_t worker_context;
  std::atomic<int> done{0};
  coordinator_options co;
  co.keys = *coordinator_keys;
  co.allow_dir = (dir / "allow").string();
  co.task_timeout = std::chrono::seconds(30); // measure dispatch, not retries
  coordinator_callbacks cb;
  cb.on_result = [&](const std::string&, const std::string&) { ++done; };
  auto coordinator = coordinator_link::start(context, co, cb);
  if (!coordinator)
    return die(coordinator.error().message);

  std::vector<std::unique_ptr<node_link>> nodes;
  for (int i = 0; i < workers; ++i) {
    node_options no;
    no.coordinator = (*coordinator)->endpoint();
    no.coordinator_key = coordinator_keys->public_key;
    no.keys = worker_keys[static_cast<std::size_t>(i)];
    no.node_id = "w" + std::to_string(i);
    no.roles = {qs::protocol::role::predictor};
    no.capacity = capacity;
    node_callbacks ncb;
    ncb.on_task = [](const std::string&, qs::protocol::role, const std::string&, task_reply reply) {
      reply(std::string("\xf6", 1));
    }; // null: no answer

    auto node = node_link::start(worker_context, no, ncb);
    if (!node)
      return die(node.error().message);
    nodes.push_back(std::move(*node));
  }
  const auto admit_by = clock_type::now() + std::chrono::seconds(20);
  for (auto& node : nodes)
    while (!node->admitted() && clock_type::now() < admit_by)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));

  const auto start = clock_type::now();
  const auto deadline = start + std::chrono::minutes(5);
  for (int i = 0; i < tasks; ++i)
    (*coordinator)->submit("t" + std::to_string(i), qs::protocol::role::predictor, body, deadline);
  while (done.load() < tasks && clock_type::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();

  std::cout << "| " << workers << " | " << capacity << " | " << body.size() << " | " << tasks
            << " | " << done.load() << " | " << static_cast<long>(done.load() / seconds) << " |\n";
  for (auto& node : nodes)
    node->stop();
  (*coordinator)->stop();
  std::filesystem::remove_all(dir);
  return done.load() == tasks ? 0 : 1;
}
