// A value or the sentence that says why there is none: how runtime/ modules
// (storage, cluster) report failure at their boundaries, without exceptions.
//
//   result<int> parse(...) { ...; return failure{"cannot read x: no such file"}; }
//   if (auto n = parse(...)) use(*n); else log(n.error());
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace qs::runtime {

struct failure {
  std::string message;
};

template<class T> class result {
public:
  result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  result(runtime::failure error) : state_(std::in_place_index<1>, std::move(error)) {}

  /// The same as constructing from `failure{why}`.
  static result failure(std::string why) { return result(runtime::failure{std::move(why)}); }

  explicit operator bool() const noexcept { return state_.index() == 0; }

  /// @pre the result holds a value.
  T& operator*() { return std::get<0>(state_); }
  const T& operator*() const { return std::get<0>(state_); }
  T* operator->() { return &std::get<0>(state_); }
  const T* operator->() const { return &std::get<0>(state_); }

  /// @pre the result holds an error.
  const std::string& error() const { return std::get<1>(state_).message; }

private:
  std::variant<T, runtime::failure> state_;
};

} // namespace qs::runtime
