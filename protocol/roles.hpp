// The roles a node can run, as a type with the name each has on the wire, in
// HELLO, in the task envelope, on the command line and in the cluster view.
// Adding a role is one entry here and one handler in the task runner and in the
// coordinator's remote roles. Pure data.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace qs::protocol {

enum class role { coordinator, predictor, anomaly, persistence, scanner, bridge };

/// Each role's code on the wire (HELLO, READY, TASK, SHARD_MAP, ROLE_DOWN). Never
/// renumber; a new role takes the next code.
inline constexpr std::pair<role, std::uint8_t> role_codes[] = {
    {role::coordinator, 0}, {role::predictor, 1}, {role::anomaly, 2},
    {role::persistence, 3}, {role::scanner, 4},   {role::bridge, 5}};

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
