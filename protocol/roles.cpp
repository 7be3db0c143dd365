#include "protocol/roles.hpp"

namespace qs::protocol {

std::string_view name_of(role r) {
  switch (r) {
  case role::coordinator:
    return "coordinator";
  case role::predictor:
    return "predictor";
  case role::anomaly:
    return "anomaly";
  case role::persistence:
    return "persistence";
  case role::scanner:
    return "scanner";
  case role::bridge:
    return "bridge";
  }
  return "unknown";
}

std::optional<role> role_named(std::string_view name) {
  for (auto r : all_roles)
    if (name_of(r) == name)
      return r;
  return std::nullopt;
}

bool runs_tasks(role r) {
  return r != role::coordinator && r != role::bridge;
}

std::string role_list() {
  std::string out;
  for (auto r : all_roles)
    out += (out.empty() ? "" : ", ") + std::string(name_of(r));
  return out;
}

} // namespace qs::protocol
