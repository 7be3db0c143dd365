#include "actors/anomaly/asset_loader.hpp"

namespace qs::actors {

namespace {

/// Answers `requests` in order: held states checked one by one (rare: after the
/// anomaly ring changed), every rebuild read in one call (one round trip to a
/// persistence node in a cluster).
loaded_assets load(runtime::storage::history_store& history, const load_requests& requests) {
  loaded_assets out(requests.size());
  std::vector<std::size_t> rebuild;
  for (std::size_t k = 0; k < requests.size(); ++k) {
    const auto& request = requests[k];
    if (!request.held_timestamp) {
      rebuild.push_back(k);
      continue;
    }
    auto latest = history.latest(request.asset_id);
    if (!latest) {
      out[k].failure = latest.error();
      continue;
    }
    out[k].current =
        *latest ? (*latest)->scan_timestamp == *request.held_timestamp : request.held_scans == 0;
    if (!out[k].current)
      rebuild.push_back(k);
  }
  if (rebuild.empty())
    return out;
  std::vector<std::string> assets;
  for (auto k : rebuild)
    assets.push_back(requests[k].asset_id);
  auto scans = history.judged_scans(assets, anomaly::max_replayed_scans);
  if (scans && scans->size() != rebuild.size())
    scans = qs::error(runtime::storage::errc::corrupt,
                      "judged_scans answered " + std::to_string(scans->size()) + " lists for " +
                          std::to_string(rebuild.size()) + " assets");
  for (std::size_t i = 0; i < rebuild.size(); ++i) {
    if (scans)
      out[rebuild[i]].rebuilt = anomaly::replay_scans((*scans)[i]);
    else
      out[rebuild[i]].failure = scans.error();
  }
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
          caf::anon_send(me, loaded_atom::value, id, load(*history, requests));
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
