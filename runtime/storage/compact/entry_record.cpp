#include "runtime/storage/compact/entry_record.hpp"

#include "runtime/storage/compact/fields.hpp"
#include "runtime/storage/compact/packing.hpp"
#include "runtime/storage/errc.hpp"

namespace qs::runtime::storage::compact {

namespace {

// The shared fields, one bit each in the record's first number when present.
std::string entry::*const shared[] = {&entry::request_id, &entry::operation, &entry::stored_at};
// The entry's own fields, always present, in this order.
std::string entry::*const own[] = {&entry::scan_timestamp, &entry::scan_result, &entry::prediction,
                                   &entry::anomaly};

} // namespace

int flags_of(const entry& e) {
  return (e.scan_result.empty() ? 0 : has_scan_result) | (e.anomaly.empty() ? 0 : has_anomaly);
}

std::string encode_entry(const entry& e, const entry* head) {
  std::uint64_t present = 0;
  for (std::size_t i = 0; i < std::size(shared); ++i)
    if (!head || e.*shared[i] != head->*shared[i])
      present |= std::uint64_t{1} << i;
  field_writer out;
  out.number(present);
  for (std::size_t i = 0; i < std::size(shared); ++i)
    if (present & (std::uint64_t{1} << i))
      out.text(e.*shared[i]);
  for (auto field : own)
    out.text(e.*field);
  return pack(out.release());
}

expected<void> decode_entry(std::string_view packed, const entry* head, entry& out) {
  auto text = unpack(packed);
  if (!text)
    return text.error();
  field_reader in(*text);
  const auto present = in.number();
  for (std::size_t i = 0; i < std::size(shared); ++i) {
    if (present & (std::uint64_t{1} << i))
      out.*shared[i] = in.text();
    else if (head)
      out.*shared[i] = head->*shared[i];
    else
      return qs::error(errc::corrupt, "entry " + std::to_string(out.id) +
                                          " leaves a field to a head it does not have");
  }
  for (auto field : own)
    out.*field = in.text();
  if (!in.ok() || !in.at_end() || present >= (std::uint64_t{1} << std::size(shared)))
    return qs::error(errc::corrupt, "entry " + std::to_string(out.id) + " is not a valid record");
  return {};
}

} // namespace qs::runtime::storage::compact
