#include "actors/scanner/net/coroutines.hpp"

namespace qs::scanner::net {

void run_all(asio::any_io_executor ex, std::vector<std::function<void(yield)>> tasks, yield y) {
  if (tasks.empty())
    return;
  auto left = std::make_shared<std::size_t>(tasks.size());
  auto done = std::make_shared<asio::steady_timer>(ex, asio::steady_timer::time_point::max());
  for (auto& task : tasks)
    start(ex, [task = std::move(task), left, done](yield inner) {
      struct count_down { // also when the task throws or its coroutine is unwound
        std::shared_ptr<std::size_t> left;
        std::shared_ptr<asio::steady_timer> done;
        ~count_down() {
          if (--*left == 0)
            done->cancel();
        }
      } guard{left, done};
      task(inner);
    });
  boost::system::error_code ec;
  while (*left > 0)
    done->async_wait(y[ec]);
}

} // namespace qs::scanner::net
