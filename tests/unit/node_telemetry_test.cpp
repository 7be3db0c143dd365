// Two nodes in one process keep their health and metrics apart: every part that
// reports is handed its node's health board and metrics registry, and nothing is
// process-wide.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include <caf/all.hpp>

#include "actors/bridge/http_api.hpp"
#include "actors/messages.hpp"
#include "actors/supervision/pool.hpp"
#include "actors/supervision/role_health.hpp"
#include "runtime/http/server.hpp"
#include "runtime/metrics/registry.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/wait.hpp"

namespace actors = qs::actors;
namespace http = qs::runtime::http;
namespace metrics = qs::runtime::metrics;
using qs::test::wait_until;
using namespace std::chrono_literals;

namespace {

struct telemetry {
  std::shared_ptr<actors::role_health> health = std::make_shared<actors::role_health>();
  std::shared_ptr<metrics::registry> registry = std::make_shared<metrics::registry>();
};

std::string state_of(const actors::role_health& board, const std::string& role) {
  const auto roles = board.snapshot();
  auto it = roles.find(role);
  return it == roles.end() ? "absent" : it->second.state;
}

using predictor_pool = actors::pool<actors::predict_atom, actors::predictions_outcome>;

caf::actor spawn_pool(caf::actor_system& system, const telemetry& t, bool workers_die) {
  actors::pool_config cfg;
  cfg.role = "predictor";
  cfg.size = 1;
  cfg.max_restarts = 2;
  cfg.restart_window = 60s;
  cfg.health = t.health;
  cfg.metrics = t.registry;
  return system.spawn(
      predictor_pool::make, cfg,
      actors::worker_factory([workers_die](caf::local_actor* parent, std::size_t) {
        // With an argument each: CAF 0.17 dereferences a null pointer when it
        // spawns a function actor without any (UBSan reports it).
        if (workers_die) // every worker dies as soon as it starts
          return parent->spawn([](caf::event_based_actor* self, int) { self->quit(); }, 0);
        return parent->spawn(
            [](caf::event_based_actor*, int) -> caf::behavior { return {[](int) {}}; }, 0);
      }),
      actors::route_fn{});
}

actors::http_api_config api_settings(const telemetry& t) {
  actors::http_api_config cfg;
  cfg.health = t.health;
  cfg.metrics = t.registry;
  return cfg;
}

/// Serves `api` on a free loopback port, its answers counted by the API, as nodes do.
std::unique_ptr<http::server> serve(std::shared_ptr<actors::http_api> api) {
  http::server_options options;
  options.port = 0;
  options.threads = 1;
  options.on_answer = [api](std::string_view route, unsigned status, double seconds) {
    api->observe(route, status, seconds);
  };
  auto started = http::start_server(options, [api](http::request req, http::respond_fn respond) {
    api->handle(std::move(req), std::move(respond));
  });
  INFO((started ? "" : started.error().message));
  REQUIRE(started);
  return std::move(*started);
}

} // namespace

TEST_CASE("a pool past its restart budget marks its role down on its own node only",
          "[supervision][telemetry]") {
  caf::actor_system_config cfg;
  cfg.set("logger.verbosity", caf::atom("quiet"));
  caf::actor_system system{cfg};
  telemetry dying, healthy;
  auto a = spawn_pool(system, dying, true);
  auto b = spawn_pool(system, healthy, false);

  REQUIRE(wait_until([&] { return state_of(*dying.health, "predictor") == "down"; }, 10s));
  CHECK(dying.registry->counter("qscan_actor_restarts_total", "role=\"predictor\"") == 2);
  CHECK(dying.registry->render().find("qscan_role_up{role=\"predictor\"} 0\n") !=
        std::string::npos);

  REQUIRE(wait_until(
      [&] {
        return healthy.registry->render().find("qscan_role_up{role=\"predictor\"} 1\n") !=
               std::string::npos;
      },
      10s));
  CHECK(state_of(*healthy.health, "predictor") == "ok");
  CHECK(healthy.registry->counter("qscan_actor_restarts_total", "role=\"predictor\"") == 0);

  for (const auto& pool : {a, b})
    caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_CASE("two HTTP APIs in one process answer health and metrics from their own node",
          "[bridge][telemetry]") {
  telemetry first, second;
  first.health->set("predictor", "down", "predictor is down on this node: 5 restarts");
  second.health->set("predictor", "ok");
  auto threads = std::make_shared<qs::runtime::storage::executor>(1, 16);
  auto first_server = serve(std::make_shared<actors::http_api>(
      api_settings(first), caf::actor{}, qs::runtime::storage::stores{}, threads));
  auto second_server = serve(std::make_shared<actors::http_api>(
      api_settings(second), caf::actor{}, qs::runtime::storage::stores{}, threads));
  qs::test::http_client to_first(first_server->port()), to_second(second_server->port());

  auto health = to_first.request("GET", "/v1/health");
  REQUIRE(health.status == 200);
  CHECK(health.json().at("status") == "degraded");
  CHECK(health.json().at("roles").at("predictor").at("state") == "down");
  CHECK(to_first.request("GET", "/v1/health").status == 200);

  health = to_second.request("GET", "/v1/health");
  REQUIRE(health.status == 200);
  CHECK(health.json().at("status") == "ok");
  CHECK(health.json().at("roles").at("predictor").at("state") == "ok");

  // Each server counts its own answers (after writing them) in its own registry.
  const std::string full_health = "route=\"full-health\",status=\"200\"";
  REQUIRE(wait_until(
      [&] { return first.registry->counter("qscan_http_requests_total", full_health) == 2; }, 5s));
  REQUIRE(wait_until(
      [&] { return second.registry->counter("qscan_http_requests_total", full_health) == 1; }, 5s));
  auto rendered = to_second.request("GET", "/metrics");
  REQUIRE(rendered.status == 200);
  CHECK(rendered.body.find("qscan_http_requests_total{" + full_health + "} 1\n") !=
        std::string::npos);
  CHECK(rendered.body.find("qscan_http_requests_total{" + full_health + "} 2\n") ==
        std::string::npos);

  first_server->stop(1s);
  second_server->stop(1s);
}
