#include "protocol/error_codec.hpp"

#include "protocol/wire_errc.hpp"

namespace qs::protocol {

const std::error_category* error_domains::find(std::string_view name) const {
  for (const std::error_category* category : categories_)
    if (name == category->name())
      return category;
  return nullptr;
}

wire_error to_wire(const qs::error& e) {
  return {e.code.category().name(), e.code.value(), e.message};
}

qs::error from_wire(const wire_error& e, const error_domains& known) {
  const std::error_category* category = known.find(e.domain);
  if (!category || e.code < INT32_MIN || e.code > INT32_MAX)
    return qs::error(wire_errc::unknown_domain, e.message + " (error " + std::to_string(e.code) +
                                                    " of the unknown domain \"" + e.domain + "\")");
  return qs::error(std::error_code(static_cast<int>(e.code), *category), e.message);
}

} // namespace qs::protocol
