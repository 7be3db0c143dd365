// A streaming anomaly detector: one instance per series, fed points in time
// order, answering each with a score in [0, 1] computed from that point and the
// ones before it only (no look-ahead). Work per point is O(1) or O(log w) and
// memory is bounded by the detector's parameters, never by the series' length.
// The state can be written to bytes and read back, so a series can move between
// processes; a detector fed the same points after `load(save())` answers as the
// original would. Not thread-safe: a detector belongs to one series and one owner.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace qs::streaming {

class detector {
public:
  virtual ~detector() = default;

  /// Scores the point (`time` in seconds, `value` finite) and learns it.
  /// Points are taken in arrival order: spacing may be irregular, and time may
  /// repeat or step back (a clock change on the recording machine). No point is
  /// refused for its time; a detector whose score uses time says how it treats
  /// a step back.
  virtual double update(double time, double value) = 0;

  /// Points seen so far.
  virtual std::size_t points() const = 0;

  /// The state as bytes (name and version first).
  virtual std::string save() const = 0;
  /// Replaces the state with one written by `save` of the same detector;
  /// false (state unchanged or reset) when the bytes are not such a state.
  virtual bool load(std::string_view bytes) = 0;

  /// Bytes this detector holds, its fixed buffers included.
  virtual std::size_t memory_bytes() const = 0;

  virtual std::string_view name() const = 0;
};

/// A detector by name (see `detector_names()`); nullptr for an unknown name.
std::unique_ptr<detector> make_detector(std::string_view name);

/// Every detector's name, the default first.
const std::vector<std::string>& detector_names();

/// The default detector's name.
std::string_view default_detector();

} // namespace qs::streaming
