#include "actors/cluster/request_handler.hpp"

#include "actors/cluster/scan_task_codec.hpp"
#include "actors/cluster/wire_codec.hpp"

namespace qs::actors {

caf::behavior request_handler(caf::event_based_actor* self, request_handler_config cfg) {
  return {
      [=](request_atom, const std::string& body, const wire_reply& reply) {
        const auto [kind, payload] = split_wire(body);
        auto fail = [self, reply](const caf::error& err) {
          (*reply)(false, self->system().render(err));
        };
        if (kind == "job") {
          auto decoded = wire::decode_job(payload);
          if (auto* why = std::get_if<std::string>(&decoded))
            return (*reply)(false, "the job does not decode: " + *why);
          self->request(cfg.coordinator, caf::infinite, analyze_atom::value,
                        std::get<job_ptr>(decoded))
              .then([reply](job_outcome& out) { (*reply)(true, wire::encode_outcome(out)); }, fail);
        } else if (kind == "store") {
          auto decoded = wire::decode_batch(payload);
          if (auto* why = std::get_if<std::string>(&decoded))
            return (*reply)(false, "the batch does not decode: " + *why);
          auto batch = std::make_shared<const runtime::storage::write_batch>(
              std::move(std::get<runtime::storage::write_batch>(decoded)));
          self->request(cfg.persistence, caf::infinite, store_atom::value, batch_ptr{batch})
              .then([reply](store_outcome& out) { (*reply)(out.error.empty(), out.error); }, fail);
        } else if (kind == "scan") {
          auto decoded = wire::decode_scan_submission(payload);
          if (auto* why = std::get_if<std::string>(&decoded))
            return (*reply)(false, "the scan does not decode: " + *why);
          if (!cfg.scan_jobs)
            return (*reply)(false, "this coordinator takes no scans");
          self->request(cfg.scan_jobs, caf::infinite, scan_atom::value,
                        std::get<scan_submission>(decoded))
              .then([reply](
                        scan_submitted& out) { (*reply)(true, wire::encode_scan_submitted(out)); },
                    fail);
        } else if (kind == "model") {
          if (!cfg.latest_model)
            return (*reply)(false, "this coordinator keeps no models");
          (*reply)(true, cfg.latest_model(payload));
        } else if (kind == "cluster") {
          (*reply)(true, cfg.cluster_view());
        } else {
          (*reply)(false, "unknown request kind \"" + kind + "\"");
        }
      },
  };
}

} // namespace qs::actors
