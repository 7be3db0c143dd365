#include "actors/anomaly/series_history.hpp"

#include "protocol/json_input.hpp"
#include "protocol/scan_result_codec.hpp"

namespace qs::anomaly {

namespace {

std::optional<protocol::scan_result> decode_stored(const std::string& json) {
  auto parsed = protocol::parse_json(json);
  auto* doc = std::get_if<boost::json::value>(&parsed);
  if (!doc)
    return std::nullopt;
  protocol::problems errors;
  std::vector<std::string> warnings;
  auto result = protocol::decode_scan_result(std::move(*doc), "stored", {}, errors, warnings);
  if (!errors.empty())
    return std::nullopt;
  return result;
}

} // namespace

replayed_asset replay_scans(const std::vector<std::string>& oldest_first,
                            const replay_visitor& visit) {
  replayed_asset out;
  std::optional<protocol::scan_result> last;
  for (const auto& json : oldest_first) {
    auto result = decode_stored(json);
    if (!result)
      continue;
    auto scores = out.series.update(*result);
    if (visit)
      visit(*result, scores);
    last = std::move(result);
  }
  if (last)
    out.posture = analytics::summarize(*last);
  return out;
}

expected<replayed_asset> replay_history(runtime::storage::history_store& history,
                                        const std::string& asset_id, const replay_visitor& visit,
                                        std::size_t max_scans) {
  auto scans = history.judged_scans({asset_id}, max_scans);
  if (!scans)
    return scans.error();
  if (scans->size() != 1)
    return qs::error(runtime::storage::errc::corrupt, "judged_scans answered " +
                                                          std::to_string(scans->size()) +
                                                          " lists for one asset");
  return replay_scans(scans->front(), visit);
}

} // namespace qs::anomaly
