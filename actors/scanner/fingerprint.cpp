#include "actors/scanner/fingerprint.hpp"

#include "runtime/auth/digest.hpp"

namespace qs::scanner {

std::string fingerprint(const target_result& target, const finding& f) {
  // Each field with its length first: no two sets of fields read as one text.
  std::string text = "qscan-finding-2";
  auto field = [&](const std::string& s) { text += "|" + std::to_string(s.size()) + ":" + s; };
  field(f.rule);
  if (target.kind != target_kind::file)
    field(target.target);
  field(f.location);
  return runtime::auth::to_hex(runtime::auth::sha256(text));
}

} // namespace qs::scanner
