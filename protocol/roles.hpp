// The roles a node can run, as a type with the name each has on the wire, in
// HELLO, in the task envelope, on the command line and in the cluster view.
// Adding a role is one entry here and one handler in the task runner and in the
// coordinator's remote roles. Pure data.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace qs::protocol {

enum class role { coordinator, predictor, anomaly, persistence, scanner, bridge };

inline constexpr std::array<role, 6> all_roles = {role::coordinator, role::predictor, role::anomaly,
                                                  role::persistence, role::scanner,   role::bridge};

/// "coordinator", "predictor", "anomaly", "persistence", "scanner", "bridge".
std::string_view name_of(role r);
std::optional<role> role_named(std::string_view name);

/// The roles a worker node runs tasks for (everything but coordinator and bridge).
bool runs_tasks(role r);

/// "coordinator, predictor, ..." for messages.
std::string role_list();

} // namespace qs::protocol
