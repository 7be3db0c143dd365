// Dictionary 1 of packing.hpp: the preset window deflate starts from, so a
// record's first occurrence of a key, an enumeration value or a sentence the
// service writes is already a short back-reference. Texts that every record
// has come last (deflate codes nearer distances in fewer bits). Part of the
// stored format: never edit it; a better one is a new dictionary and format.
#pragma once

#include <string_view>

namespace qs::runtime::storage::compact {

std::string_view json_dictionary();

} // namespace qs::runtime::storage::compact
