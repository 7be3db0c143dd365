#include "actors/anomaly/asset_loader.hpp"

namespace qs::actors {

namespace {

loaded_asset load(runtime::storage::history_store& history, const load_request& request) {
  loaded_asset out;
  if (request.held_timestamp) {
    auto latest = history.latest(request.asset_id);
    if (!latest) {
      out.failure = latest.error();
      return out;
    }
    out.current =
        *latest ? (*latest)->scan_timestamp == *request.held_timestamp : request.held_scans == 0;
    if (out.current)
      return out;
  }
  auto replay = anomaly::replay_history(history, request.asset_id);
  if (!replay)
    out.failure = replay.error();
  else
    out.rebuilt = std::move(*replay);
  return out;
}

} // namespace

caf::behavior asset_loader(caf::stateful_actor<asset_loader_state>* self,
                           std::shared_ptr<runtime::storage::history_store> history,
                           std::shared_ptr<runtime::storage::executor> pool) {
  return {
      [=](load_atom, load_requests& requests) -> caf::result<loaded_assets> {
        const auto id = ++self->state.next_id;
        const auto count = requests.size();
        auto me = caf::actor_cast<caf::actor>(self);
        auto work = [history, me, id, requests = std::move(requests)] {
          loaded_assets out;
          out.reserve(requests.size());
          for (const auto& r : requests)
            out.push_back(load(*history, r));
          caf::anon_send(me, loaded_atom::value, id, std::move(out));
        };
        if (!pool->post(std::move(work))) {
          loaded_assets refused(count);
          for (auto& r : refused)
            r.failure =
                qs::error(runtime::storage::errc::unavailable, "the storage executor is full");
          return refused;
        }
        // The answer comes as a message, so after this handler has filed the promise.
        auto promise = self->make_response_promise<loaded_assets>();
        self->state.waiting.emplace(id, promise);
        return promise;
      },
      [=](loaded_atom, std::uint64_t id, loaded_assets& out) {
        auto it = self->state.waiting.find(id);
        if (it == self->state.waiting.end())
          return;
        it->second.deliver(std::move(out));
        self->state.waiting.erase(it);
      },
  };
}

} // namespace qs::actors
