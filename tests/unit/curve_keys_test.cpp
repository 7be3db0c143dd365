#include <catch2/catch.hpp>

#include <fstream>

#include <sys/stat.h>

#include "runtime/cluster/allow_list.hpp"
#include "runtime/cluster/curve_keys.hpp"
#include "tests/support/temp_dir.hpp"

using namespace qs::runtime::cluster;
using namespace std::chrono_literals;

namespace {

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

std::string contents(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string fresh_public_key() {
  qs::test::temp_dir dir;
  auto keys = generate_keys(dir.path());
  REQUIRE(keys);
  return keys->public_key;
}

} // namespace

TEST_CASE("generated keys are written as Z85 with the secret readable by its owner only",
          "[curve_keys]") {
  qs::test::temp_dir dir;
  auto keys = generate_keys(dir.file("keys"));
  REQUIRE(keys);
  CHECK(is_z85_key(keys->public_key));
  CHECK(is_z85_key(keys->secret_key));
  CHECK(keys->public_key != keys->secret_key);
  CHECK(contents(dir.file("keys/node.key")) == keys->secret_key + "\n");
  CHECK(contents(dir.file("keys/node.pub")) == keys->public_key + "\n");
  CHECK(mode_of(dir.file("keys/node.key")) == 0600);
  CHECK(mode_of(dir.file("keys/node.pub")) == 0644);
  CHECK(mode_of(dir.file("keys")) == 0700);
}

TEST_CASE("the secret key stays private even under a permissive umask", "[curve_keys]") {
  qs::test::temp_dir dir;
  const mode_t old = ::umask(0);
  auto keys = generate_keys(dir.path());
  ::umask(old);
  REQUIRE(keys);
  CHECK(mode_of(dir.file("node.key")) == 0600);
}

TEST_CASE("an existing key is not overwritten unless forced", "[curve_keys]") {
  qs::test::temp_dir dir;
  auto first = generate_keys(dir.path());
  REQUIRE(first);
  auto again = generate_keys(dir.path());
  REQUIRE_FALSE(again);
  CHECK(again.error() == errc::exists);
  CHECK(again.error().message ==
        "refusing to overwrite " + dir.file("node.key") + " (pass --force to replace the key)");
  CHECK(contents(dir.file("node.key")) == first->secret_key + "\n");

  auto forced = generate_keys(dir.path(), true);
  REQUIRE(forced);
  CHECK(forced->secret_key != first->secret_key);
  CHECK(mode_of(dir.file("node.key")) == 0600);
  auto loaded = load_keys(dir.path());
  REQUIRE(loaded);
  CHECK(loaded->secret_key == forced->secret_key);
}

TEST_CASE("a lone public key file also blocks generation", "[curve_keys]") {
  qs::test::temp_dir dir;
  write(dir.file("node.pub"), "someone's key\n");
  auto keys = generate_keys(dir.path());
  REQUIRE_FALSE(keys);
  CHECK(contains(keys.error().message, "refusing to overwrite " + dir.file("node.pub")));
}

TEST_CASE("generated keys load back and belong together", "[curve_keys]") {
  qs::test::temp_dir dir;
  auto keys = generate_keys(dir.path());
  REQUIRE(keys);
  auto loaded = load_keys(dir.path());
  REQUIRE(loaded);
  CHECK(loaded->public_key == keys->public_key);
  CHECK(loaded->secret_key == keys->secret_key);
  auto pub = load_public_key(dir.file("node.pub"));
  REQUIRE(pub);
  CHECK(*pub == keys->public_key);
}

TEST_CASE("key files may carry comments and blank lines", "[curve_keys]") {
  qs::test::temp_dir dir;
  const std::string key = fresh_public_key();
  write(dir.file("peer.pub"), "# the scanner in rack 4\n\n  " + key + "  \r\n");
  auto pub = load_public_key(dir.file("peer.pub"));
  REQUIRE(pub);
  CHECK(*pub == key);
}

TEST_CASE("bad key files are refused with the file named", "[curve_keys]") {
  qs::test::temp_dir dir;
  auto missing = load_keys(dir.path());
  REQUIRE_FALSE(missing);
  CHECK(missing.error() == errc::io);
  CHECK(missing.error().message ==
        "cannot read " + dir.file("node.key") + ": No such file or directory");

  write(dir.file("short.pub"), "abc\n");
  auto short_key = load_public_key(dir.file("short.pub"));
  REQUIRE_FALSE(short_key);
  CHECK(short_key.error() == errc::bad_key);
  CHECK(short_key.error().message ==
        dir.file("short.pub") + " does not hold a CURVE public key (expected 40 Z85 characters)");

  write(dir.file("empty.pub"), "# nothing here\n");
  auto empty = load_public_key(dir.file("empty.pub"));
  REQUIRE_FALSE(empty);
  CHECK(empty.error().message == dir.file("empty.pub") + " holds no key");

  CHECK_FALSE(is_z85_key(std::string(40, '"'))); // '"' is outside the Z85 alphabet
  CHECK_FALSE(is_z85_key(fresh_public_key() + "x"));
}

TEST_CASE("a public key that does not match the secret key is refused", "[curve_keys]") {
  qs::test::temp_dir dir;
  REQUIRE(generate_keys(dir.path()));
  write(dir.file("node.pub"), fresh_public_key() + "\n");
  auto loaded = load_keys(dir.path());
  REQUIRE_FALSE(loaded);
  CHECK(loaded.error() == errc::bad_key);
  CHECK(loaded.error().message == dir.file("node.pub") + " does not match " + dir.file("node.key"));
}

TEST_CASE("a node id is short and stable for a key", "[curve_keys]") {
  const std::string key = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
  const std::string id = node_id_from_key(key);
  CHECK(node_id_from_key(key) == "node-541de4d64218"); // FNV-1a 64: the same everywhere
  CHECK(node_id_from_key(fresh_public_key()) != node_id_from_key(fresh_public_key()));
}

TEST_CASE("keys can be allowed by value or by file and revoked by key or name", "[allow_list]") {
  qs::test::temp_dir keys, dir;
  auto alice = generate_keys(keys.file("alice"));
  auto bob = generate_keys(keys.file("bob"));
  REQUIRE(alice);
  REQUIRE(bob);
  const std::string allowed = dir.file("allowed");

  auto added = allow(allowed, alice->public_key, "alice");
  REQUIRE(added);
  CHECK(*added == allowed + "/alice.pub");
  REQUIRE(allow(allowed, keys.file("bob/node.pub"), "bob"));
  CHECK(allow(allowed, alice->public_key, "alice")); // again: no harm

  allow_list list(allowed, 0ms);
  CHECK(list.allows(alice->public_key));
  CHECK(list.allows(bob->public_key));
  CHECK(list.name_of(bob->public_key) == "bob");
  CHECK(list.size() == 2);
  CHECK(list.problems().empty());

  auto by_key = revoke(allowed, alice->public_key);
  REQUIRE(by_key);
  CHECK(*by_key == std::vector<std::string>{allowed + "/alice.pub"});
  auto by_name = revoke(allowed, "bob");
  REQUIRE(by_name);
  CHECK(!list.allows(alice->public_key));
  CHECK(!list.allows(bob->public_key));
  CHECK(list.size() == 0);
}

TEST_CASE("allowing or revoking something ambiguous or absent is refused", "[allow_list]") {
  qs::test::temp_dir dir;
  const std::string a = fresh_public_key(), b = fresh_public_key();
  REQUIRE(allow(dir.path(), a, "alice"));

  CHECK(allow(dir.path(), b, "alice").error() == errc::exists);
  CHECK(allow(dir.path(), b, "alice").error().message ==
        "name 'alice' is already taken in " + dir.path() + " (revoke it first)");
  CHECK(allow(dir.path(), a, "alias").error().message ==
        "this key is already allowed as 'alice' in " + dir.path());
  CHECK(allow(dir.path(), b, "../escape").error() == errc::bad_name);
  CHECK(contains(allow(dir.path(), b, "../escape").error().message, "invalid name '../escape'"));
  CHECK(contains(allow(dir.path(), b, ".hidden").error().message, "invalid name"));
  CHECK(allow(dir.path(), dir.file("nope.pub"), "carol").error().message ==
        "cannot read " + dir.file("nope.pub") + ": No such file or directory");
  CHECK(revoke(dir.path(), b).error() == errc::not_found);
  CHECK(revoke(dir.path(), b).error().message ==
        "no key or name '" + b + "' on the allow-list in " + dir.path());
  CHECK(revoke(dir.path(), "../alice").error().message ==
        "no key or name '../alice' on the allow-list in " + dir.path());
}

TEST_CASE("a running allow-list sees keys added and removed behind its back", "[allow_list]") {
  qs::test::temp_dir dir;
  const std::string a = fresh_public_key(), b = fresh_public_key();
  allow_list list(dir.path(), 0ms);
  CHECK_FALSE(list.allows(a));

  write(dir.file("a.pub"), a + "\n"); // a hand-written file, as an operator might
  CHECK(list.allows(a));

  write(dir.file("a.pub"), b + "\n"); // edited in place
  CHECK_FALSE(list.allows(a));
  CHECK(list.allows(b));

  write(dir.file("broken.pub"), "not a key\n");
  CHECK(list.allows(b));
  CHECK(list.problems() ==
        std::vector<std::string>{dir.file("broken.pub") + " does not hold a CURVE public key "
                                                          "(expected 40 Z85 characters)"});
  REQUIRE(revoke(dir.path(), b));
  CHECK_FALSE(list.allows(b));
}

TEST_CASE("an allow-list re-reads the folder at most once per interval", "[allow_list]") {
  qs::test::temp_dir dir;
  const std::string a = fresh_public_key();
  allow_list list(dir.path(), 1h);
  CHECK_FALSE(list.allows(a));
  REQUIRE(allow(dir.path(), a, "a"));
  CHECK_FALSE(list.allows(a)); // not yet due

  allow_list prompt(dir.path(), 0ms);
  CHECK(prompt.allows(a));
}

TEST_CASE("a missing allow-list folder allows nobody", "[allow_list]") {
  qs::test::temp_dir dir;
  allow_list list(dir.file("absent"), 0ms);
  CHECK_FALSE(list.allows(fresh_public_key()));
  CHECK(list.problems() ==
        std::vector<std::string>{"cannot read allow-list directory " + dir.file("absent") +
                                 ": No such file or directory"});
}
