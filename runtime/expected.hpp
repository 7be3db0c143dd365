// The one error type at the module edges (storage, the wire, the HTTP layer, the
// cluster links): `qs::expected<T>` holds a value or a `qs::error`, which holds a
// code callers test and a sentence for people. A caller decides what happened from
// the code, never from the text:
//
//   qs::expected<page> p = store.history(...);
//   if (!p && p.error() == storage::errc::invalid_argument) ...   // a 400, not a 503
//   log(p.error().message);                                      // "invalid cursor \"x\""
//
// Codes are `std::error_code`s of one enum per module (`storage::errc`,
// `protocol::wire_errc`, ...), each made an error code enum with `error_domain` below.
// An error that crosses the wire travels as its domain's name, its number and its
// message (actors/cluster/error_codec), so the receiver tests the same code.
//
// Values only: no shared state; any thread.
#pragma once

#include <cstddef>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

namespace qs {

/// Specialise for each module's enum: `static constexpr const char* name` (the
/// domain, e.g. "storage") and `static const char* describe(E)` (a code's name,
/// e.g. "invalid_argument").
template<class E> struct error_domain;

/// For an `error_domain`'s describe: the name of code `e` in `names`, which lists
/// the enum's codes from 1 up, in order.
template<class E, std::size_t N> const char* code_name(E e, const char* const (&names)[N]) {
  const auto index = static_cast<std::size_t>(e) - 1;
  return index < N ? names[index] : "unknown";
}

/// The category of a module's enum; its name() is the domain's name.
template<class E> const std::error_category& category_of() {
  struct category final : std::error_category {
    const char* name() const noexcept override { return error_domain<E>::name; }
    std::string message(int code) const override {
      return error_domain<E>::describe(static_cast<E>(code));
    }
  };
  static const category instance;
  return instance;
}

struct error {
  std::error_code code;
  std::string message; ///< what failed, with context ("cannot open var/qscan.db: disk I/O error")

  error() = default;
  error(std::error_code c, std::string why) : code(c), message(std::move(why)) {}
  template<class E, class = std::enable_if_t<std::is_error_code_enum_v<E>>>
  error(E e, std::string why) : code(make_error_code(e)), message(std::move(why)) {}

  template<class E, class = std::enable_if_t<std::is_error_code_enum_v<E>>>
  bool operator==(E e) const {
    return code == make_error_code(e);
  }
  template<class E, class = std::enable_if_t<std::is_error_code_enum_v<E>>>
  bool operator!=(E e) const {
    return !(*this == e);
  }
  /// "storage.invalid_argument", for logs and the wire.
  std::string code_name() const {
    return std::string(code.category().name()) + "." + code.message();
  }
};

template<class T> class [[nodiscard]] expected {
public:
  expected(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  expected(qs::error e) : state_(std::in_place_index<1>, std::move(e)) {}
  template<class E, class = std::enable_if_t<std::is_error_code_enum_v<E>>>
  expected(E code, std::string why) : expected(qs::error(code, std::move(why))) {}

  explicit operator bool() const noexcept { return state_.index() == 0; }
  bool has_value() const noexcept { return state_.index() == 0; }

  /// @pre has_value()
  T& operator*() & { return std::get<0>(state_); }
  const T& operator*() const& { return std::get<0>(state_); }
  T&& operator*() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &std::get<0>(state_); }
  const T* operator->() const { return &std::get<0>(state_); }

  /// @pre !has_value()
  const qs::error& error() const { return std::get<1>(state_); }

private:
  std::variant<T, qs::error> state_;
};

/// Success without a value, or an error.
template<> class [[nodiscard]] expected<void> {
public:
  expected() = default;
  expected(qs::error e) : error_(std::move(e)), failed_(true) {}
  template<class E, class = std::enable_if_t<std::is_error_code_enum_v<E>>>
  expected(E code, std::string why) : expected(qs::error(code, std::move(why))) {}

  explicit operator bool() const noexcept { return !failed_; }
  bool has_value() const noexcept { return !failed_; }
  /// @pre !has_value()
  const qs::error& error() const { return error_; }

private:
  qs::error error_;
  bool failed_ = false;
};

} // namespace qs
