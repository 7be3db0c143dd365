#include "actors/scanner/net/scan_runner.hpp"

#include <ctime>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "actors/scanner/files/key_files.hpp"
#include "actors/scanner/findings.hpp"
#include "actors/scanner/net/ssh_scan.hpp"
#include "actors/scanner/net/tls_scan.hpp"

namespace qs::scanner::net {
namespace {

using steady = std::chrono::steady_clock;

long long elapsed_ms(steady::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - since).count();
}

std::vector<target_result> scan_files(const target& t) {
  std::vector<target_result> out;
  const auto started = steady::now();
  std::string error;
  const auto files = walk(t.path, error);
  for (const auto& path : files)
    if (auto inv = scan_key_file(path)) {
      target_result r;
      r.kind = target_kind::file;
      r.target = "file://" + path;
      r.file = std::move(*inv);
      out.push_back(std::move(r));
    }
  if (out.empty()) {
    target_result r;
    r.kind = target_kind::file;
    r.target = t.text;
    r.error = !error.empty()      ? error
              : files.size() == 1 ? "not a certificate or key file"
                                  : "no certificate or key files under " + t.path;
    out.push_back(std::move(r));
  }
  for (auto& r : out)
    r.elapsed_ms = elapsed_ms(started) / static_cast<long long>(out.size());
  return out;
}

// Resolves `t.host` once and scans that address.
target_result scan_network(asio::any_io_executor ex, const target& t, const scan_options& o,
                           yield y) {
  target_result r;
  r.kind = t.kind;
  r.target = t.text;
  r.host = t.host;
  r.port = t.port;
  const auto started = steady::now();
  boost::system::error_code ec;
  tcp::endpoint to;
  if (!t.address.empty()) { // resolved and checked before: connect there, nowhere else
    to = tcp::endpoint(asio::ip::make_address(t.address, ec), static_cast<unsigned short>(t.port));
  } else {
    tcp::resolver resolver(ex);
    auto found = resolver.async_resolve(t.host, std::to_string(t.port), y[ec]);
    if (!ec && !found.empty()) {
      to = found.begin()->endpoint();
      for (const auto& entry : found) // prefer IPv4 when a name has both
        if (entry.endpoint().address().is_v4()) {
          to = entry.endpoint();
          break;
        }
    }
  }
  if (ec || to.port() == 0) {
    r.error = "cannot resolve " + t.host + (ec ? ": " + ec.message() : "");
    r.elapsed_ms = elapsed_ms(started);
    return r;
  }
  r.address = to.address().to_string();
  if (o.admit)
    r.error = o.admit(t, to.address());
  if (r.error.empty()) {
    if (t.kind == target_kind::tls) {
      auto got = scan_tls(ex, to, t.host, {o.timeout, o.probes_per_endpoint, o.economical}, y);
      r.probes = got.probes;
      if (got.error.empty())
        r.tls = std::move(got.inventory);
      r.error = std::move(got.error);
    } else {
      auto got = scan_ssh(ex, to, {o.timeout, std::min<std::size_t>(4, o.probes_per_endpoint)}, y);
      r.probes = got.probes;
      if (got.error.empty())
        r.ssh = std::move(got.inventory);
      r.error = std::move(got.error);
    }
  }
  r.elapsed_ms = elapsed_ms(started);
  return r;
}

} // namespace

std::vector<std::vector<target_result>> scan_each(const std::vector<target>& targets,
                                                  const scan_options& o) {
  asio::io_context io;
  auto ex = io.get_executor();
  std::vector<std::vector<target_result>> slots(targets.size());
  std::size_t done = 0;
  limiter limit(ex, std::max<std::size_t>(1, o.concurrency));
  for (std::size_t i = 0; i < targets.size(); ++i)
    start(ex, [&, i](yield y) {
      permit p(limit, y);
      if (targets[i].kind == target_kind::file)
        slots[i] = scan_files(targets[i]);
      else
        slots[i].push_back(scan_network(ex, targets[i], o, y));
      ++done;
      if (o.progress)
        o.progress(done, targets.size());
    });
  io.run();
  const long long now = static_cast<long long>(std::time(nullptr));
  for (auto& slot : slots)
    for (auto& r : slot)
      rate(r, now);
  return slots;
}

std::vector<target_result> run_scans(const std::vector<target>& targets, const scan_options& o) {
  std::vector<target_result> out;
  for (auto& slot : scan_each(targets, o))
    for (auto& r : slot)
      out.push_back(std::move(r));
  return out;
}

} // namespace qs::scanner::net
