#include "runtime/cluster/zap_handler.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <iterator>
#include <vector>

#include <zmq.hpp>
#include <zmq_addon.hpp>

namespace qs::runtime::cluster {

namespace {

constexpr const char* zap_endpoint = "inproc://zeromq.zap.01";
constexpr auto stop_check_interval = std::chrono::milliseconds(250);

struct verdict {
  std::string status; // "200", "400" or "500"
  std::string text;
  std::string user_id;
};

} // namespace

zap_handler::zap_handler(zmq::context_t& context, std::shared_ptr<allow_list> allowed)
    : context_(context), allowed_(std::move(allowed)),
      stop_endpoint_("inproc://qs.zap.stop." +
                     std::to_string(reinterpret_cast<std::uintptr_t>(this))) {}

qs::expected<std::unique_ptr<zap_handler>> zap_handler::start(zmq::context_t& context,
                                                              std::shared_ptr<allow_list> allowed) {
  if (!allowed)
    return qs::error(errc::setup_failed, "the ZAP handler needs an allow-list");
  std::unique_ptr<zap_handler> handler(new zap_handler(context, std::move(allowed)));
  std::promise<std::string> bound;
  auto error = bound.get_future();
  try {
    handler->thread_ = std::thread(&zap_handler::run, handler.get(), std::move(bound));
  } catch (const std::system_error& e) {
    return qs::error(errc::setup_failed,
                     std::string("cannot start the ZAP handler thread: ") + e.what());
  }
  if (std::string message = error.get(); !message.empty()) {
    handler->thread_.join();
    return qs::error(errc::setup_failed, std::move(message));
  }
  return qs::expected<std::unique_ptr<zap_handler>>(std::move(handler));
}

zap_handler::~zap_handler() {
  stop();
}

void zap_handler::stop() {
  if (!thread_.joinable())
    return;
  stopping_ = true;
  try {
    zmq::socket_t poke(context_, zmq::socket_type::pair);
    poke.set(zmq::sockopt::linger, 100);
    poke.connect(stop_endpoint_);
    (void)poke.send(zmq::message_t(), zmq::send_flags::dontwait);
  } catch (const zmq::error_t&) {
    // The context is closing or the poke could not be sent: the thread still sees
    // stopping_ within one stop_check_interval, or ETERM at once.
  }
  thread_.join();
}

void zap_handler::run(std::promise<std::string> bound) {
  bool reported = false;
  try {
    zmq::socket_t zap(context_, zmq::socket_type::rep);
    zap.set(zmq::sockopt::linger, 0);
    zap.bind(zap_endpoint);
    zmq::socket_t wake(context_, zmq::socket_type::pair);
    wake.set(zmq::sockopt::linger, 0);
    wake.bind(stop_endpoint_);
    bound.set_value("");
    reported = true;

    std::array<zmq::pollitem_t, 2> items{};
    while (!stopping_) {
      items[0] = {zap.handle(), 0, ZMQ_POLLIN, 0};
      items[1] = {wake.handle(), 0, ZMQ_POLLIN, 0};
      zmq::poll(items, stop_check_interval);
      if (items[1].revents & ZMQ_POLLIN)
        break;
      if (items[0].revents & ZMQ_POLLIN)
        answer(zap);
    }
  } catch (const zmq::error_t& e) {
    // Before binding: report it. After: ETERM means the context is closing, and
    // nothing else is expected from inproc sockets; either way the thread ends and
    // clients are refused by libzmq for want of an answer.
    if (!reported)
      bound.set_value(std::string("cannot bind ") + zap_endpoint + ": " + e.what());
  }
}

void zap_handler::answer(zmq::socket_t& zap) {
  std::vector<zmq::message_t> request;
  if (!zmq::recv_multipart(zap, std::back_inserter(request), zmq::recv_flags::dontwait))
    return;
  const auto frame = [&](std::size_t i) {
    return i < request.size() ? request[i].to_string() : std::string();
  };

  // Frames: version, request id, domain, address, routing id, mechanism, credentials...
  verdict v;
  if (request.size() < 6 || frame(0) != "1.0") {
    v = {"500", "malformed ZAP request", ""};
  } else if (frame(5) != "CURVE") {
    v = {"400", "mechanism " + frame(5) + " is not allowed; use CURVE", ""};
  } else if (request.size() != 7 || request[6].size() != 32) {
    v = {"400", "malformed CURVE credentials", ""};
  } else {
    char z85[41] = {};
    zmq_z85_encode(z85, request[6].data<std::uint8_t>(), 32);
    if (allowed_->allows(z85))
      v = {"200", "OK", z85};
    else
      v = {"400", "public key not on the allow-list", ""};
  }
  (v.status == "200" ? admitted_ : refused_)++;

  const std::string request_id = frame(1);
  std::array<zmq::const_buffer, 6> reply{
      zmq::str_buffer("1.0"), zmq::buffer(request_id), zmq::buffer(v.status),
      zmq::buffer(v.text),    zmq::buffer(v.user_id),  zmq::const_buffer(),
  };
  (void)zmq::send_multipart(zap, reply);
}

} // namespace qs::runtime::cluster
