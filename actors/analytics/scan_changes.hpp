// What changed for an asset between two of its stored scan results (GET
// /v1/assets/{id}/changes): findings new, fixed and unchanged; algorithms (with
// their key sizes, as named) added and removed; post-quantum key exchanges gained
// and lost; leaf certificates added and removed (a replaced certificate is one of
// each). Each finding carries its algorithm's quantum rating and the exploit
// probability its entry's prediction gave it.
//
// A finding is the same across scans when its rule (or type), algorithm, location
// and CVE are: its wording and severity may change. Pure.
#pragma once

#include <string>

#include "protocol/json_writer.hpp"
#include "runtime/storage/records.hpp"

namespace qs::analytics {

/// Writes the changes object. `from` null: `to` is the asset's only scan (every
/// list empty); both null: no scan at all.
void write_changes(protocol::json_writer& out, const std::string& asset_id,
                   const runtime::storage::entry* from, const runtime::storage::entry* to);

} // namespace qs::analytics
