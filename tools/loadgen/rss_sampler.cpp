#include "rss_sampler.hpp"

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <fstream>
#include <string>

namespace qs::loadgen {
namespace {

void sleep_until(std::int64_t when_ns) {
  timespec when{};
  when.tv_sec = static_cast<time_t>(when_ns / 1'000'000'000);
  when.tv_nsec = static_cast<long>(when_ns % 1'000'000'000);
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &when, nullptr) == EINTR) {
  }
}

std::int64_t now_ns() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

double slope_per_minute(const std::vector<double>& minutes, const std::vector<double>& mib) {
  auto n = static_cast<double>(minutes.size());
  if (minutes.size() < 2) {
    return 0;
  }
  double mean_x = 0;
  double mean_y = 0;
  for (std::size_t i = 0; i < minutes.size(); ++i) {
    mean_x += minutes[i] / n;
    mean_y += mib[i] / n;
  }
  double covariance = 0;
  double variance = 0;
  for (std::size_t i = 0; i < minutes.size(); ++i) {
    covariance += (minutes[i] - mean_x) * (mib[i] - mean_y);
    variance += (minutes[i] - mean_x) * (minutes[i] - mean_x);
  }
  return variance > 0 ? covariance / variance : 0;
}

} // namespace

std::int64_t read_rss_kib(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.compare(0, 6, "VmRSS:") == 0) {
      try {
        return std::stoll(line.substr(6)); // "VmRSS:	  123456 kB"
      } catch (...) {
        return -1;
      }
    }
  }
  return -1; // no such process, or a zombie without VmRSS
}

RssSummary sample_rss(int pid, std::int64_t from_ns, std::int64_t until_ns, double every_s) {
  RssSummary summary;
  summary.pid = pid;
  std::vector<double> minutes;
  std::vector<double> mib;
  auto period_ns = static_cast<std::int64_t>(every_s * 1e9);
  for (std::int64_t at = from_ns;; at = std::min(at + period_ns, until_ns)) {
    sleep_until(at);
    auto kib = read_rss_kib(pid);
    if (kib < 0) {
      summary.process_gone = true;
      break;
    }
    minutes.push_back(static_cast<double>(now_ns() - from_ns) / 60e9);
    mib.push_back(static_cast<double>(kib) / 1024.0);
    if (at >= until_ns) {
      break;
    }
  }
  if (!mib.empty()) {
    summary.samples = mib.size();
    summary.first_mib = mib.front();
    summary.last_mib = mib.back();
    summary.max_mib = *std::max_element(mib.begin(), mib.end());
    summary.slope_mib_per_min = slope_per_minute(minutes, mib);
  }
  return summary;
}

} // namespace qs::loadgen
