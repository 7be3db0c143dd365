#include "runtime/storage/compact/answer_record.hpp"

#include <algorithm>

#include "runtime/storage/compact/fields.hpp"
#include "runtime/storage/compact/packing.hpp"
#include "runtime/storage/errc.hpp"

namespace qs::runtime::storage::compact {

namespace {

// What a reference may point at; a reference is 1 + entry index * 3 + field.
std::string entry::*const parts[] = {&entry::scan_result, &entry::prediction, &entry::anomaly};
constexpr std::size_t shortest_part = 16; // a shorter part costs less as text

struct match {
  std::size_t at;
  std::size_t size;
  std::uint64_t ref;
};

/// Where the entries' parts occur in `body`: each field's parts in entry order,
/// as the answer builders write them; a part not found ends that field's search.
std::vector<match> find_parts(const std::string& body, const std::vector<entry>& entries) {
  std::vector<match> found;
  for (std::size_t f = 0; f < std::size(parts); ++f) {
    std::size_t from = 0;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const std::string& part = entries[i].*parts[f];
      if (part.size() < shortest_part)
        continue;
      const auto at = body.find(part, from);
      if (at == std::string::npos)
        break;
      found.push_back({at, part.size(), 1 + i * std::size(parts) + f});
      from = at + part.size();
    }
  }
  std::sort(found.begin(), found.end(), [](const match& a, const match& b) { return a.at < b.at; });
  return found;
}

std::string encode_template(const std::string& body, const std::vector<match>& found) {
  field_writer out;
  std::size_t pos = 0;
  for (const auto& m : found) {
    if (m.at < pos)
      continue; // overlaps the previous part
    out.text(std::string_view(body).substr(pos, m.at - pos)).number(m.ref);
    pos = m.at + m.size;
  }
  out.text(std::string_view(body).substr(pos)).number(0);
  return out.release();
}

expected<std::string> decode_template(field_reader& in, const std::vector<entry>& entries) {
  std::string body;
  for (;;) {
    body.append(in.text());
    const auto ref = in.number();
    if (!in.ok())
      return qs::error(errc::corrupt, "an answer record is not a valid template");
    if (ref == 0)
      return body;
    const auto index = (ref - 1) / std::size(parts);
    if (index >= entries.size())
      return qs::error(errc::corrupt, "an answer refers to entry " + std::to_string(index) +
                                          " of a batch of " + std::to_string(entries.size()));
    body.append(entries[index].*parts[(ref - 1) % std::size(parts)]);
  }
}

std::string record(const idempotent_answer& answer, const std::string& body_template) {
  return pack(
      field_writer().text(answer.route).text(answer.fingerprint).text(body_template).release());
}

} // namespace

std::string encode_answer(const idempotent_answer& answer, const std::vector<entry>& entries) {
  auto body_template = encode_template(answer.body, find_parts(answer.body, entries));
  // Check the template rebuilds the body; if it ever did not, keep the body whole.
  field_reader check(body_template);
  auto rebuilt = decode_template(check, entries);
  if (!rebuilt || *rebuilt != answer.body)
    body_template = encode_template(answer.body, {});
  return record(answer, body_template);
}

expected<void> decode_answer(std::string_view packed, const std::vector<entry>& entries,
                             idempotent_answer& out) {
  auto text = unpack(packed);
  if (!text)
    return text.error();
  field_reader in(*text);
  out.route = in.text();
  out.fingerprint = in.text();
  auto body_template = in.text();
  if (!in.ok() || !in.at_end())
    return qs::error(errc::corrupt, "answer " + out.key + " is not a valid record");
  field_reader body_in(body_template);
  auto body = decode_template(body_in, entries);
  if (!body)
    return body.error();
  out.body = std::move(*body);
  return {};
}

} // namespace qs::runtime::storage::compact
