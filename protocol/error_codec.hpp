// An error as it crosses the wire (docs/protocol.md, "Errors"): its domain's name, its
// code's number within the domain and its message,
//
//   {"domain": "storage", "code": 1, "message": "cannot open var/qscan.db: disk I/O error"}
//
// and back into the same `qs::error`, so the receiver tests the code the sender set
// (`e == storage::errc::unavailable`), never the text. A receiver knows the domains
// in its `error_domains` (runtime/cluster/error_domains.hpp lists the cluster's); an
// error of a domain it does not know arrives as wire_errc::unknown_domain with the
// domain, code and message in its message. A code a known domain has not defined
// yet (a newer peer's) keeps its number.
//
// Values and pure functions; any thread. An `error_domains` is built once and then
// only read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "protocol/cbor_codec.hpp"
#include "runtime/expected.hpp"

namespace qs::protocol {

/// An error on the wire: plain data, decoded without knowing any domain.
struct wire_error {
  std::string domain;
  std::int64_t code = 0;
  std::string message;
};

class error_domains {
public:
  /// Adds the domain of a module's error enum (see runtime/expected.hpp).
  template<class E> error_domains& add() {
    categories_.push_back(&category_of<E>());
    return *this;
  }
  /// The category named `name`, or null.
  const std::error_category* find(std::string_view name) const;

private:
  std::vector<const std::error_category*> categories_;
};

wire_error to_wire(const qs::error& e);
qs::error from_wire(const wire_error& e, const error_domains& known);

} // namespace qs::protocol

template<>
struct qs::protocol::cbor::codec<qs::protocol::wire_error>
    : record<codec<qs::protocol::wire_error>> {
  template<class F, class E> static void fields(F& f, E& e) {
    f("domain", e.domain), f("code", e.code), f("message", e.message);
  }
};
