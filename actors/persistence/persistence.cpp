#include "actors/persistence/persistence.hpp"

#include "runtime/storage/errc.hpp"

namespace qs::actors {

caf::behavior persistence(caf::stateful_actor<persistence_state>* self,
                          std::shared_ptr<runtime::storage::group_committer> committer) {
  self->state.committer = std::move(committer);
  return {
      [=](store_atom, const batch_ptr& batch) -> caf::result<store_outcome> {
        auto rp = self->make_response_promise<store_outcome>();
        const auto id = self->state.next_id++;
        self->state.pending.emplace(id, rp);
        auto me = caf::actor_cast<caf::actor>(self);
        // The callback runs on the writer thread: hand the outcome back as a message.
        self->state.committer->submit(*batch, [me, id](const expected<void>& stored) {
          caf::anon_send(me, committed_atom::value, id,
                         stored ? std::string() : stored.error().message);
        });
        return rp;
      },
      [=](committed_atom, std::uint64_t id, const std::string& error) {
        auto it = self->state.pending.find(id);
        if (it == self->state.pending.end())
          return;
        // The committer says only what failed: the database did (the storage rewrite
        // will hand its storage::errc through here).
        it->second.deliver(
            error.empty() ? store_outcome{}
                          : store_outcome{qs::error(runtime::storage::errc::unavailable, error)});
        self->state.pending.erase(it);
      },
  };
}

} // namespace qs::actors
