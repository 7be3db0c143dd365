#include "nodes/cluster_commands.hpp"

#include <iostream>

#include "runtime/auth/audit.hpp"
#include "runtime/cluster/allow_list.hpp"
#include "runtime/cluster/curve_keys.hpp"
#include "runtime/storage/database.hpp"

namespace qs::nodes {

namespace cluster = runtime::cluster;

namespace {

const char* keys_usage = R"(usage:
  qscan keys gen DIR [--force]   write a CURVE key pair: DIR/node.key (secret, mode 0600)
                                 and DIR/node.pub; refuses to overwrite without --force
  qscan keys show DIR            print the public key and the node id derived from it
)";

const char* cluster_usage = R"(usage:
  qscan cluster allow KEY_OR_FILE NAME --allow DIR   admit a node's public key (Z85, or a
                                                     .pub file) as DIR/NAME.pub
  qscan cluster revoke KEY_OR_NAME --allow DIR       remove it (running coordinators re-read
                                                     DIR; connected nodes stay until they
                                                     reconnect)
  qscan cluster forget ID --allow DIR                the coordinator drops node ID from its list
                                                     (within a second; a dead node stays listed
                                                     until then, or for --forget-after-s)
  qscan cluster list --allow DIR                     the admitted keys and their names
  qscan cluster id --database URL                    the id of the cluster a database belongs
                                                     to (start a coordinator whose folder was
                                                     lost with --cluster-id ID)
)";

int usage(const char* text) {
  std::cerr << text;
  return 2;
}

// Splits "--allow DIR" out of the arguments; "" when absent.
std::string take_allow_dir(std::vector<std::string>& args) {
  std::string dir;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--allow" && i + 1 < args.size()) {
      dir = args[i + 1];
      args.erase(args.begin() + static_cast<long>(i), args.begin() + static_cast<long>(i) + 2);
      break;
    }
    if (args[i].rfind("--allow=", 0) == 0) {
      dir = args[i].substr(8);
      args.erase(args.begin() + static_cast<long>(i));
      break;
    }
  }
  return dir;
}

// qscan cluster id --database URL: what the database records (it is migrated first,
// as any node opening it would).
int print_cluster_id(const std::vector<std::string>& args) {
  std::string url;
  if (args.size() == 3 && args[1] == "--database")
    url = args[2];
  else if (args.size() == 2 && args[1].rfind("--database=", 0) == 0)
    url = args[1].substr(11);
  else
    return usage(cluster_usage);
  auto db = runtime::storage::database::open({url, true});
  if (!db) {
    std::cerr << "qscan cluster id: " << db.error().message << "\n";
    return 1;
  }
  auto id = (*db)->cluster_id();
  if (!id) {
    std::cerr << "qscan cluster id: " << id.error().message << "\n";
    return 1;
  }
  if (!*id) {
    std::cerr << "qscan cluster id: " << (*db)->where()
              << " belongs to no cluster yet: the first persistence node to serve it adopts it\n";
    return 1;
  }
  std::cout << **id << "\n";
  return 0;
}

} // namespace

int run_keys(const std::vector<std::string>& args) {
  if (args.empty())
    return usage(keys_usage);
  for (const auto& a : args)
    if (a == "--help" || a == "-h")
      return std::cout << keys_usage, 0;
  if (args.size() >= 2 && args[1].rfind("-", 0) == 0) // a flag where the folder goes
    return usage(keys_usage);
  if (args[0] == "gen" && (args.size() == 2 || (args.size() == 3 && args[2] == "--force"))) {
    auto keys = cluster::generate_keys(args[1], args.size() == 3);
    if (!keys) {
      std::cerr << "qscan keys gen: " << keys.error().message << "\n";
      return 1;
    }
    std::cout << keys->public_key << "\n";
    std::cerr << "wrote " << args[1] << "/node.key (secret, mode 0600) and " << args[1]
              << "/node.pub; node id " << cluster::node_id_from_key(keys->public_key) << "\n";
    return 0;
  }
  if (args[0] == "show" && args.size() == 2) {
    auto keys = cluster::load_keys(args[1]);
    if (!keys) {
      std::cerr << "qscan keys show: " << keys.error().message << "\n";
      return 1;
    }
    std::cout << "public key: " << keys->public_key
              << "\nnode id:    " << cluster::node_id_from_key(keys->public_key) << "\n";
    return 0;
  }
  return usage(keys_usage);
}

int run_cluster(const std::vector<std::string>& all) {
  auto args = all;
  for (const auto& a : args)
    if (a == "--help" || a == "-h") {
      std::cout << cluster_usage;
      return 0;
    }
  if (!args.empty() && args[0] == "id")
    return print_cluster_id(args);
  const std::string dir = take_allow_dir(args);
  if (args.empty() || dir.empty())
    return usage(cluster_usage);
  if (args[0] == "allow" && args.size() == 3) {
    auto written = cluster::allow(dir, args[1], args[2]);
    if (!written) {
      std::cerr << "qscan cluster allow: " << written.error().message << "\n";
      return 1;
    }
    std::cout << "allowed " << args[2] << " (" << *written << ")\n";
    runtime::auth::audit("cluster-allow", runtime::auth::os_user(),
                         {{"name", args[2]}, {"file", *written}, {"allow_dir", dir}});
    return 0;
  }
  if (args[0] == "revoke" && args.size() == 2) {
    auto removed = cluster::revoke(dir, args[1]);
    if (!removed) {
      std::cerr << "qscan cluster revoke: " << removed.error().message << "\n";
      return 1;
    }
    for (const auto& file : *removed) {
      std::cout << "revoked " << file << "\n";
      runtime::auth::audit("cluster-revoke", runtime::auth::os_user(),
                           {{"file", file}, {"allow_dir", dir}});
    }
    return 0;
  }
  if (args[0] == "forget" && args.size() == 2) {
    auto asked = cluster::ask_to_forget(dir, args[1]);
    if (!asked) {
      std::cerr << "qscan cluster forget: " << asked.error().message << "\n";
      return 1;
    }
    std::cout << "asked the coordinator reading " << dir << " to forget node " << args[1] << " ("
              << *asked << ")\n";
    runtime::auth::audit("cluster-forget", runtime::auth::os_user(),
                         {{"node", args[1]}, {"allow_dir", dir}});
    return 0;
  }
  if (args[0] == "list" && args.size() == 1) {
    cluster::allow_list list(dir);
    for (const auto& problem : list.problems())
      std::cerr << "warning: " << problem << "\n";
    for (const auto& [key, name] : list.entries())
      std::cout << name << "  " << key << "  " << cluster::node_id_from_key(key) << "\n";
    return 0;
  }
  return usage(cluster_usage);
}

} // namespace qs::nodes
