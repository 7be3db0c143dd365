#include "scheduler.hpp"

#include "connection.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <vector>

#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/timerfd.h>
#include <unistd.h>

namespace qs::loadgen {

void WorkerStats::merge(const WorkerStats& other) {
  latency.merge(other.latency);
  service.merge(other.service);
  for (const auto& [status, count] : other.statuses) {
    statuses[status] += count;
  }
  scheduled += other.scheduled;
  completed += other.completed;
  connect_errors += other.connect_errors;
  io_errors += other.io_errors;
  bad_responses += other.bad_responses;
  timeouts += other.timeouts;
  unsent += other.unsent;
}

std::int64_t monotonic_ns() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

namespace {

constexpr std::uint64_t timer_key = ~std::uint64_t{0};
constexpr std::int64_t reconnect_backoff_ns = 100'000'000; // after a failed connect
constexpr int max_wait_ms = 1000;                          // epoll_wait never blocks longer

class Worker {
public:
  Worker(const Target& target, const std::string& request, const Schedule& schedule, int index,
         int threads, int connections)
      : target_(target), request_(request), schedule_(schedule), index_(index), threads_(threads),
        connections_(static_cast<std::size_t>(connections)) {
    if (schedule.total_requests > index) {
      my_total_ = (schedule.total_requests - index + threads - 1) / threads;
    }
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    timer_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (epoll_ < 0 || timer_ < 0) {
      throw std::runtime_error(std::string("epoll/timerfd setup failed: ") + std::strerror(errno));
    }
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = timer_key;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, timer_, &event);
    for (std::size_t i = 0; i < connections_.size(); ++i) {
      down_.push_back(i);
    }
  }

  ~Worker() {
    for (auto& connection : connections_) {
      close_connection(connection);
    }
    close(timer_);
    close(epoll_);
  }

  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  WorkerStats run() {
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL); // wake up on time, not up to 50 us late
    std::vector<epoll_event> events(256);
    for (;;) {
      std::int64_t now = monotonic_ns();
      while (next_due_ < my_total_ && due_ns(next_due_) <= now) {
        ++next_due_;
      }
      if (next_send_ < my_total_) {
        reconnect(now);
      }
      while (next_send_ < next_due_ && !idle_.empty()) {
        auto slot = idle_.back();
        idle_.pop_back();
        send(slot, due_ns(next_send_), now);
        ++next_send_;
      }
      if ((next_send_ == my_total_ && in_flight_ == 0) || now >= schedule_.deadline_ns) {
        break;
      }
      arm_timer(next_wake(now));
      int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), max_wait_ms);
      if (n < 0 && errno != EINTR) {
        throw std::runtime_error(std::string("epoll_wait failed: ") + std::strerror(errno));
      }
      for (int i = 0; i < n; ++i) {
        handle(events[static_cast<std::size_t>(i)]);
      }
    }
    finish();
    return std::move(stats_);
  }

private:
  std::int64_t due_ns(std::int64_t k) const {
    auto n = static_cast<double>(k * threads_ + index_);
    return schedule_.start_ns + static_cast<std::int64_t>(n * schedule_.interval_ns);
  }

  bool measured(std::int64_t due) const { return due >= schedule_.measure_from_ns; }

  std::int64_t next_wake(std::int64_t now) const {
    std::int64_t wake = schedule_.deadline_ns;
    if (next_due_ < my_total_) {
      wake = std::min(wake, due_ns(next_due_));
    }
    if (next_send_ < my_total_) {
      for (auto slot : down_) {
        wake = std::min(wake, connections_[slot].retry_at_ns);
      }
    }
    return std::max(wake, now + 1);
  }

  void arm_timer(std::int64_t wake) {
    if (wake == armed_for_) {
      return;
    }
    itimerspec spec{};
    spec.it_value.tv_sec = static_cast<time_t>(wake / 1'000'000'000);
    spec.it_value.tv_nsec = static_cast<long>(wake % 1'000'000'000);
    timerfd_settime(timer_, TFD_TIMER_ABSTIME, &spec, nullptr);
    armed_for_ = wake;
  }

  void reconnect(std::int64_t now) {
    for (std::size_t i = 0; i < down_.size();) {
      auto slot = down_[i];
      auto& connection = connections_[slot];
      if (connection.retry_at_ns > now) {
        ++i;
        continue;
      }
      down_[i] = down_.back();
      down_.pop_back();
      if (!start_connect(connection, target_)) {
        connect_failed(slot, now);
        continue;
      }
      epoll_event event{};
      event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
      event.data.u64 = (std::uint64_t{connection.generation} << 32) | slot;
      epoll_ctl(epoll_, EPOLL_CTL_ADD, connection.fd, &event);
      if (connection.state == ConnectionState::idle) {
        idle_.push_back(slot);
      }
    }
  }

  void connect_failed(std::size_t slot, std::int64_t now) {
    if (now >= schedule_.measure_from_ns) {
      ++stats_.connect_errors;
    }
    close_connection(connections_[slot]);
    connections_[slot].retry_at_ns = now + reconnect_backoff_ns;
    down_.push_back(slot);
  }

  void send(std::size_t slot, std::int64_t due, std::int64_t now) {
    auto& connection = connections_[slot];
    connection.state = ConnectionState::sending;
    connection.scheduled_ns = due;
    connection.sent_ns = now;
    connection.written = 0;
    connection.parser.reset();
    ++in_flight_;
    if (measured(due)) {
      ++stats_.scheduled;
    }
    if (!write_request(connection, request_)) {
      drop(slot, now, &WorkerStats::io_errors);
    }
  }

  // Closes a connection; a request in flight on it is counted under `error`.
  void drop(std::size_t slot, std::int64_t now, std::int64_t WorkerStats::*error) {
    auto& connection = connections_[slot];
    if (connection.busy()) {
      --in_flight_;
      if (measured(connection.scheduled_ns) && error != nullptr) {
        ++(stats_.*error);
      }
    } else if (connection.state == ConnectionState::idle) {
      idle_.erase(std::find(idle_.begin(), idle_.end(), slot));
    }
    close_connection(connection);
    connection.retry_at_ns = now;
    down_.push_back(slot);
  }

  void complete(std::size_t slot, std::int64_t now) {
    auto& connection = connections_[slot];
    bool was_sending = connection.state == ConnectionState::sending;
    --in_flight_;
    if (measured(connection.scheduled_ns)) {
      stats_.latency.record(now - connection.scheduled_ns);
      stats_.service.record(now - connection.sent_ns);
      ++stats_.statuses[connection.parser.status()];
      ++stats_.completed;
    }
    connection.state = ConnectionState::idle;
    if (connection.parser.keep_alive() && !was_sending) {
      idle_.push_back(slot);
    } else {
      close_connection(connection);
      connection.retry_at_ns = now;
      down_.push_back(slot);
    }
  }

  void handle(const epoll_event& event) {
    if (event.data.u64 == timer_key) {
      std::uint64_t expirations = 0;
      ssize_t ignored = read(timer_, &expirations, sizeof expirations);
      (void)ignored;
      armed_for_ = 0;
      return;
    }
    auto slot = static_cast<std::size_t>(event.data.u64 & 0xffffffffU);
    auto generation = static_cast<std::uint32_t>(event.data.u64 >> 32);
    auto& connection = connections_[slot];
    if (connection.fd < 0 || connection.generation != generation) {
      return; // event for a socket closed earlier in this batch
    }
    std::int64_t now = monotonic_ns();
    if (connection.state == ConnectionState::connecting) {
      if (!finish_connect(connection)) {
        epoll_ctl(epoll_, EPOLL_CTL_DEL, connection.fd, nullptr);
        connect_failed(slot, now);
        return;
      }
      idle_.push_back(slot);
    }
    if (connection.state == ConnectionState::sending && (event.events & (EPOLLOUT | EPOLLERR))) {
      if (!write_request(connection, request_)) {
        drop(slot, now, &WorkerStats::io_errors);
        return;
      }
    }
    if (event.events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
      switch (read_response(connection)) {
      case ReadOutcome::pending:
        break;
      case ReadOutcome::response:
        complete(slot, monotonic_ns());
        break;
      case ReadOutcome::peer_closed:
        drop(slot, now, nullptr);
        break;
      case ReadOutcome::failed:
        drop(slot, now, &WorkerStats::io_errors);
        break;
      case ReadOutcome::bad_response:
        drop(slot, now, &WorkerStats::bad_responses);
        break;
      }
    }
  }

  void finish() {
    for (auto& connection : connections_) {
      if (connection.busy() && measured(connection.scheduled_ns)) {
        ++stats_.timeouts;
      }
    }
    for (std::int64_t k = next_send_; k < my_total_; ++k) {
      if (measured(due_ns(k))) {
        ++stats_.unsent;
        if (k < next_due_) {
          ++stats_.scheduled;
        }
      }
    }
  }

  const Target& target_;
  const std::string& request_;
  Schedule schedule_;
  int index_;
  int threads_;
  std::vector<Connection> connections_;
  std::vector<std::size_t> idle_;
  std::vector<std::size_t> down_;
  std::int64_t my_total_ = 0;
  std::int64_t next_due_ = 0; // requests [next_send_, next_due_) are due and queued
  std::int64_t next_send_ = 0;
  std::int64_t in_flight_ = 0;
  std::int64_t armed_for_ = 0;
  int epoll_ = -1;
  int timer_ = -1;
  WorkerStats stats_;
};

} // namespace

WorkerStats run_worker(const Target& target, const std::string& request, const Schedule& schedule,
                       int index, int threads, int connections) {
  Worker worker(target, request, schedule, index, threads, connections);
  return worker.run();
}

} // namespace qs::loadgen
