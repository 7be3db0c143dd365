#include "actors/intel/ranking_metrics.hpp"

#include <algorithm>
#include <cmath>

namespace qs::intel {

namespace {
void by_score_descending(std::vector<scored>& items) {
  std::sort(items.begin(), items.end(),
            [](const scored& a, const scored& b) { return a.score > b.score; });
}
std::size_t positives(const std::vector<scored>& items) {
  return static_cast<std::size_t>(
      std::count_if(items.begin(), items.end(), [](const scored& s) { return s.positive; }));
}
} // namespace

double roc_auc(std::vector<scored> items) {
  by_score_descending(items);
  const double p = static_cast<double>(positives(items));
  const double n = static_cast<double>(items.size()) - p;
  if (p == 0 || n == 0)
    return 0.5;
  // For each negative, the positives ranked above it; a tie counts half.
  double above = 0, sum = 0;
  for (std::size_t i = 0; i < items.size();) {
    std::size_t j = i;
    double tie_pos = 0, tie_neg = 0;
    while (j < items.size() && items[j].score == items[i].score) {
      (items[j].positive ? tie_pos : tie_neg) += 1;
      ++j;
    }
    sum += tie_neg * (above + tie_pos / 2);
    above += tie_pos;
    i = j;
  }
  return sum / (p * n);
}

double average_precision(std::vector<scored> items) {
  by_score_descending(items);
  const double p = static_cast<double>(positives(items));
  if (p == 0)
    return 0;
  double tp = 0, seen = 0, ap = 0, last_recall = 0;
  for (std::size_t i = 0; i < items.size();) {
    std::size_t j = i;
    while (j < items.size() && items[j].score == items[i].score) {
      tp += items[j].positive;
      ++seen;
      ++j;
    }
    const double recall = tp / p;
    ap += (recall - last_recall) * (tp / seen);
    last_recall = recall;
    i = j;
  }
  return ap;
}

namespace {
flagged counts(const std::vector<scored>& sorted, std::size_t count, std::size_t total_pos) {
  flagged out;
  out.count = count;
  out.share = sorted.empty() ? 0 : static_cast<double>(count) / static_cast<double>(sorted.size());
  std::size_t tp = 0;
  for (std::size_t i = 0; i < count; ++i)
    tp += sorted[i].positive;
  out.precision = count ? static_cast<double>(tp) / static_cast<double>(count) : 0;
  out.recall = total_pos ? static_cast<double>(tp) / static_cast<double>(total_pos) : 0;
  return out;
}
} // namespace

flagged flag_top(std::vector<scored> items, double share) {
  by_score_descending(items);
  auto count = static_cast<std::size_t>(std::ceil(share * static_cast<double>(items.size())));
  count = std::min(count, items.size());
  // Ties at the cut are all flagged or all not: a ranking cannot split them.
  while (count > 0 && count < items.size() && items[count].score == items[count - 1].score)
    ++count;
  return counts(items, count, positives(items));
}

flagged flag_at_least(const std::vector<scored>& items, double threshold) {
  std::vector<scored> sorted = items;
  by_score_descending(sorted);
  const auto count = static_cast<std::size_t>(std::count_if(
      sorted.begin(), sorted.end(), [&](const scored& s) { return s.score >= threshold; }));
  return counts(sorted, count, positives(sorted));
}

std::vector<reliability_bin> reliability(const std::vector<scored>& items,
                                         const std::vector<double>& edges) {
  std::vector<reliability_bin> bins;
  double low = 0;
  for (double high : edges) {
    bins.push_back({low, high});
    low = high;
  }
  bins.push_back({low, 1.0000001});
  for (const auto& s : items) {
    auto it = std::find_if(bins.begin(), bins.end(), [&](const reliability_bin& b) {
      return s.score >= b.low && s.score < b.high;
    });
    if (it == bins.end())
      continue;
    ++it->count;
    it->mean_predicted += s.score;
    it->observed += s.positive;
  }
  for (auto& b : bins)
    if (b.count) {
      b.mean_predicted /= static_cast<double>(b.count);
      b.observed /= static_cast<double>(b.count);
    }
  return bins;
}

} // namespace qs::intel
