// Runs a list of scan targets on an event loop of its own (Asio, one thread:
// the caller's), at most `concurrency` targets at once, each host name
// resolved once and that address connected to. Results come back in the order
// of the targets (a folder target becomes one result per key file in it), each
// rated (findings, quantum risk). An unreachable or broken target is a result
// with its error, never the end of the run.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/ip/address.hpp>

#include "actors/scanner/report.hpp"
#include "actors/scanner/target.hpp"

namespace qs::scanner::net {

struct scan_options {
  std::chrono::milliseconds timeout{5000}; ///< per connection
  std::size_t concurrency = 64;            ///< targets at once
  std::size_t probes_per_endpoint = 8;
  /// TLS: the economical probing (default), or the thorough one of before
  /// (tls_scan.hpp), kept to check it against.
  bool economical = true;
  /// Called after each target: done so far, total targets.
  std::function<void(std::size_t done, std::size_t total)> progress;
  /// Asked with each resolved address before it is connected to: "" admits it,
  /// anything else is the target's error (the API's --scan-allow check).
  std::function<std::string(const target&, const boost::asio::ip::address&)> admit;
};

std::vector<target_result> run_scans(const std::vector<target>& targets, const scan_options& o);

/// The same, each target's results apart (a folder has one per key file, or one
/// with the error): `out[i]` belongs to `targets[i]`.
std::vector<std::vector<target_result>> scan_each(const std::vector<target>& targets,
                                                  const scan_options& o);

} // namespace qs::scanner::net
