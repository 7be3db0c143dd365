#include "actors/anomaly/series_history.hpp"

#include <algorithm>

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

runtime::result<replayed_asset> replay_history(runtime::storage::storage& db,
                                               const std::string& asset_id,
                                               const replay_visitor& visit, std::size_t max_scans) {
  std::vector<std::string> newest_first;
  std::optional<std::string> cursor;
  while (newest_first.size() < max_scans) {
    auto page =
        db.history(asset_id, std::min<std::size_t>(500, max_scans - newest_first.size()), cursor);
    if (!page)
      return runtime::failure{page.error()};
    for (auto& e : page->entries)
      if (!e.scan_result.empty() && !e.anomaly.empty()) // the scans an anomaly shard saw
        newest_first.push_back(std::move(e.scan_result));
    if (!page->next || page->entries.empty())
      break;
    cursor = page->next;
  }
  replayed_asset out;
  const protocol::scan_result* newest = nullptr;
  std::optional<protocol::scan_result> last;
  for (auto it = newest_first.rbegin(); it != newest_first.rend(); ++it) {
    auto result = decode_stored(*it);
    if (!result)
      continue;
    auto scores = out.series.update(*result);
    if (visit)
      visit(*result, scores);
    last = std::move(result);
    newest = &*last;
  }
  if (newest)
    out.posture = analytics::summarize(*newest);
  return out;
}

} // namespace qs::anomaly
