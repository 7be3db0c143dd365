// What the scan API may connect to: CIDR blocks, resolved addresses, file roots.
#include <catch2/catch.hpp>

#include <filesystem>

#include <unistd.h>

#include "actors/scanner/scan_policy.hpp"

using namespace qs::scanner;

namespace {
std::vector<cidr> blocks(const char* text) {
  auto parsed = parse_cidr_list(text);
  REQUIRE(std::holds_alternative<std::vector<cidr>>(parsed));
  return std::get<std::vector<cidr>>(parsed);
}
std::string refusal(const std::variant<target, std::string>& r) {
  return std::holds_alternative<std::string>(r) ? std::get<std::string>(r) : "";
}
target of(const char* text) {
  return std::get<target>(parse_target(text));
}
} // namespace

TEST_CASE("CIDR blocks: prefixes, hosts, IPv6, and what is not one", "[scanner][policy]") {
  const auto b = blocks("10.1.0.0/16, 192.168.7.7 ,fd00::/8");
  CHECK(allowed(b, "10.1.255.3"));
  CHECK_FALSE(allowed(b, "10.2.0.1"));
  CHECK(allowed(b, "192.168.7.7"));
  CHECK_FALSE(allowed(b, "192.168.7.8"));
  CHECK(allowed(b, "fd12::1"));
  CHECK_FALSE(allowed(b, "fe80::1"));
  CHECK(allowed(b, "::ffff:10.1.2.3")); // an IPv4-mapped address is its IPv4 address
  CHECK_FALSE(allowed(b, "not-an-address"));
  CHECK(allowed(blocks("0.0.0.0/0"), "8.8.8.8"));
  CHECK(allowed(blocks("10.0.0.0/9"), "10.127.0.1"));
  CHECK_FALSE(allowed(blocks("10.0.0.0/9"), "10.128.0.1"));
  CHECK(allowed(loopback_only(), "127.9.9.9"));
  CHECK(allowed(loopback_only(), "::1"));
  CHECK_FALSE(allowed(loopback_only(), "169.254.169.254"));
  for (const char* bad : {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0/8", "x", "10.0.0.0/8/1"}) {
    INFO(bad);
    auto parsed = parse_cidr_list(bad);
    REQUIRE(std::holds_alternative<std::string>(parsed));
    CHECK(std::get<std::string>(parsed).find(bad) != std::string::npos);
  }
}

TEST_CASE("admission resolves once and pins the address; refusals say why", "[scanner][policy]") {
  scan_policy policy{loopback_only(), ""};
  auto ok = admit(of("tls://localhost:8443"), policy);
  REQUIRE(std::holds_alternative<target>(ok));
  CHECK(allowed(policy.allow, std::get<target>(ok).address));
  CHECK(std::get<target>(admit(of("ssh://127.0.0.2:22"), policy)).address == "127.0.0.2");
  CHECK(refusal(admit(of("tls://10.0.0.1:443"), policy)) ==
        "10.0.0.1 resolves to 10.0.0.1, outside --scan-allow");
  CHECK(refusal(admit(of("tls://no-such-host.invalid:443"), policy)) ==
        "cannot resolve no-such-host.invalid");
  CHECK(refusal(admit(of("file:///etc/ssl"), policy)).find("--scan-files-root") !=
        std::string::npos);
}

TEST_CASE("file targets stay under the files root, .. and links included", "[scanner][policy]") {
  namespace fs = std::filesystem;
  const auto root = fs::temp_directory_path() / ("qs-policy-" + std::to_string(::getpid()));
  fs::create_directories(root / "keys");
  fs::create_directory_symlink("/etc", root / "escape");
  scan_policy policy{loopback_only(), root.string()};
  auto inside = admit(of(("file://" + (root / "keys").string()).c_str()), policy);
  REQUIRE(std::holds_alternative<target>(inside));
  CHECK(std::get<target>(inside).path == (root / "keys").string());
  CHECK(std::holds_alternative<target>(admit(of(("file://" + root.string()).c_str()), policy)));
  for (const auto& out :
       {root / "keys" / ".." / ".." / "etc", root / "escape" / "ssl", fs::path("/etc/ssl")}) {
    INFO(out);
    CHECK(refusal(admit(of(("file://" + out.string()).c_str()), policy)).rfind("outside", 0) == 0);
  }
  fs::remove_all(root);
}
