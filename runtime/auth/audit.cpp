#include "runtime/auth/audit.hpp"

#include <cstdio>
#include <string>

#include <pwd.h>
#include <unistd.h>

#include "protocol/json_writer.hpp"
#include "protocol/timestamp.hpp"

namespace qs::runtime::auth {

void audit(std::string_view action, std::string_view by, const audit_fields& fields) {
  protocol::json_writer out;
  out.begin_object();
  out.key("time").value(protocol::now_iso8601());
  out.key("action").value(action);
  out.key("by").value(by);
  for (const auto& [name, value] : fields)
    out.key(name).value(value);
  out.end_object();
  const std::string line = "qscan audit " + out.release() + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr); // one call: lines never interleave
  std::fflush(stderr);
}

std::string_view os_user() {
  static const std::string name = [] {
    const uid_t uid = geteuid();
    if (const passwd* pw = getpwuid(uid); pw && pw->pw_name)
      return std::string(pw->pw_name);
    return "uid " + std::to_string(uid);
  }();
  return name;
}

} // namespace qs::runtime::auth
