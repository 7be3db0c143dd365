#include "actors/cluster/spool_replayer.hpp"

#include "actors/cluster/cluster_messages.hpp"
#include "actors/cluster/spool_legacy.hpp"
#include "actors/cluster/wire_codec.hpp"

namespace qs::actors {

caf::behavior spool_replayer(caf::stateful_actor<spool_replayer_state>* self,
                             spool_replayer_config cfg) {
  self->send(self, tick_atom::value);
  return {
      [=](tick_atom) {
        self->delayed_send(self, cfg.interval, tick_atom::value);
        auto& in_flight = self->state.in_flight;
        if (!in_flight.empty())
          return; // one round at a time
        auto entries = cfg.spool->oldest(cfg.batch);
        if (!entries)
          return; // the next round tries again
        for (auto& entry : *entries) {
          auto decoded = wire::is_v1_batch(entry.body) ? wire::decode_v1_batch(entry.body)
                                                       : wire::decode_batch(entry.body, "spool");
          if (!decoded)
            continue; // written by this code (or version 1's), so it decodes; never drop it
          auto batch = std::make_shared<const runtime::storage::write_batch>(std::move(*decoded));
          const auto id = entry.id;
          in_flight.insert(id);
          self->request(cfg.target, cfg.timeout, store_atom::value, batch_ptr{batch})
              .then(
                  [=](const store_outcome& out) {
                    self->state.in_flight.erase(id);
                    if (!out.error && cfg.spool->remove(id))
                      cfg.metrics->add("qscan_spool_replayed_total");
                  },
                  [=](const caf::error&) { self->state.in_flight.erase(id); });
        }
      },
  };
}

caf::behavior spool_writer(caf::event_based_actor*, std::shared_ptr<runtime::storage::spool> spool,
                           std::shared_ptr<runtime::metrics::registry> metrics) {
  return {
      [spool, metrics](store_atom, const std::string& body, const spool_done& done) {
        auto id = spool->append(body);
        if (id)
          metrics->add("qscan_spooled_total");
        (*done)(id ? expected<void>() : expected<void>(id.error()));
      },
  };
}

} // namespace qs::actors
