// The error domains a cluster node knows on the wire: the wire's own
// (protocol::wire_errc), the cluster's (cluster::errc) and storage's
// (storage::errc, so that a persistence node's storage error arrives as one).
// Adding a module whose errors cross the wire: one `add` here.
//
// Built once on first use, then only read: any thread.
#pragma once

#include "protocol/error_codec.hpp"
#include "protocol/wire_errc.hpp"
#include "runtime/cluster/errc.hpp"
#include "runtime/storage/errc.hpp"

namespace qs::runtime::cluster {

inline const protocol::error_domains& known_error_domains() {
  static const protocol::error_domains domains =
      protocol::error_domains().add<protocol::wire_errc>().add<errc>().add<storage::errc>();
  return domains;
}

/// An error from the wire, with the domains above.
inline qs::error from_wire(const protocol::wire_error& e) {
  return protocol::from_wire(e, known_error_domains());
}

} // namespace qs::runtime::cluster
