// qscan: the Quantum Scanner command.
#include <iostream>
#include <string>
#include <vector>

#include "nodes/anomaly_command.hpp"
#include "nodes/api_key_command.hpp"
#include "nodes/cluster_commands.hpp"
#include "nodes/intel_command.hpp"
#include "nodes/model_command.hpp"
#include "nodes/node_command.hpp"
#include "nodes/scan_command.hpp"
#include "nodes/schedule_command.hpp"
#include "nodes/serve_command.hpp"

namespace {

const char* usage = R"(usage: qscan COMMAND [options]

Quantum Scanner: finds cryptography that quantum computers will break,
predicts which findings will be exploited, spots anomalies in each asset's
history, and answers Scorpius over HTTP.

Commands:
  scan        inventory the cryptography of TLS endpoints, SSH servers and key files
              (`qscan scan --help`)
  schedule    scan targets on a schedule through a running bridge (`qscan schedule --help`)
  serve       run every role in one process with an embedded SQLite database
              and serve the HTTP bridge (see `qscan serve --help`)
  node        run one cluster node with the roles given (`qscan node --help`)
  keys        generate and show a node's CURVE key pair (`qscan keys --help`)
  cluster     change a coordinator's allow-list of node keys (`qscan cluster --help`)
  model       train, measure and apply the exploit model (`qscan model --help`)
  anomaly     score a CSV series with a streaming anomaly detector (`qscan anomaly --help`)
  intel       load NVD feeds and the KEV catalogue into the CVE catalogue (`qscan intel --help`)
  api-key     make an API key for the bridge; only its digest is stored (`qscan api-key --help`)

Options:
  --version   print the version
  --help      print this help
)";

} // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << usage;
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version" || args[0] == "version") {
    std::cout << "qscan " << QS_VERSION << "\n";
    return 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  if (command == "scan")
    return qs::nodes::run_scan(args);
  if (command == "schedule")
    return qs::nodes::run_schedule(args);
  if (command == "serve")
    return qs::nodes::run_serve(args);
  if (command == "node")
    return qs::nodes::run_node(args);
  if (command == "keys")
    return qs::nodes::run_keys(args);
  if (command == "cluster")
    return qs::nodes::run_cluster(args);
  if (command == "intel")
    return qs::nodes::run_intel(args);
  if (command == "anomaly")
    return qs::nodes::run_anomaly(args);
  if (command == "model")
    return qs::nodes::run_model(args);
  if (command == "api-key")
    return qs::nodes::run_api_key(args);
  std::cerr << "qscan: unknown command \"" << command << "\"\n" << usage;
  return 2;
}
