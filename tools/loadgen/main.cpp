// qs-loadgen: a fixed-rate (open-loop) HTTP/1.1 load generator for latency and soak runs against
// a local Quantum Scanner. See options.cpp for usage and scheduler.hpp for how requests are timed.

#include "options.hpp"
#include "report.hpp"
#include "rss_sampler.hpp"
#include "scheduler.hpp"
#include "target.hpp"

#include <cmath>
#include <exception>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <thread>
#include <vector>

#include <signal.h>

namespace {

using namespace qs::loadgen;

std::string read_body(const std::string& path) {
  if (path.empty()) {
    return {};
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw std::invalid_argument("cannot read --body-file '" + path + "'");
  }
  std::string body((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (body.size() > 64u * 1024 * 1024) {
    throw std::invalid_argument("--body-file is larger than 64 MiB");
  }
  return body;
}

int run(const Options& options) {
  Target target = parse_loopback_url(options.url);
  std::string request =
      build_request(target, options.method, read_body(options.body_file), options.content_type);
  if (options.pid != 0 && read_rss_kib(options.pid) < 0) {
    throw std::invalid_argument("cannot read VmRSS of --pid " + std::to_string(options.pid));
  }

  Schedule schedule;
  schedule.interval_ns = 1e9 / options.rate;
  schedule.start_ns = monotonic_ns() + 100'000'000; // time to open the connections first
  schedule.measure_from_ns = schedule.start_ns + static_cast<std::int64_t>(options.warmup * 1e9);
  auto end_ns = schedule.measure_from_ns + static_cast<std::int64_t>(options.duration * 1e9);
  schedule.deadline_ns = end_ns + static_cast<std::int64_t>(options.drain * 1e9);
  schedule.total_requests =
      static_cast<std::int64_t>(std::floor((options.warmup + options.duration) * options.rate));

  std::vector<WorkerStats> results(static_cast<std::size_t>(options.threads));
  std::vector<std::exception_ptr> failures(results.size());
  std::vector<std::thread> threads;
  for (int i = 0; i < options.threads; ++i) {
    int connections =
        options.connections / options.threads + (i < options.connections % options.threads ? 1 : 0);
    threads.emplace_back([&, i, connections] {
      try {
        results[static_cast<std::size_t>(i)] =
            run_worker(target, request, schedule, i, options.threads, connections);
      } catch (...) {
        failures[static_cast<std::size_t>(i)] = std::current_exception();
      }
    });
  }
  std::unique_ptr<RssSummary> rss;
  if (options.pid != 0) {
    rss = std::make_unique<RssSummary>(
        sample_rss(options.pid, schedule.measure_from_ns, end_ns, options.sample_every));
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (auto& failure : failures) {
    if (failure) {
      std::rethrow_exception(failure);
    }
  }

  WorkerStats total;
  for (const auto& result : results) {
    total.merge(result);
  }
  Report report{options, total, rss.get()};
  if (options.json) {
    print_json(std::cout, report);
  } else {
    print_text(std::cout, report);
  }
  return total.completed > 0 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);
  Options options;
  try {
    options = parse_options(argc, argv);
  } catch (const std::exception& error) {
    std::cerr << "qs-loadgen: " << error.what() << "\n\n" << usage();
    return 2;
  }
  if (options.help) {
    std::cout << usage();
    return 0;
  }
  try {
    return run(options);
  } catch (const std::invalid_argument& error) {
    std::cerr << "qs-loadgen: " << error.what() << "\n";
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "qs-loadgen: " << error.what() << "\n";
    return 1;
  }
}
