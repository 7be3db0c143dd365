#include <catch2/catch.hpp>

#include "runtime/cluster/database_rule.hpp"

using namespace qs::runtime::cluster;

namespace {

node_info member(const std::string& id, const std::string& db, const std::string& kind,
                 node_state state = node_state::up) {
  node_info n;
  n.id = id;
  n.state = state;
  n.database_id = db;
  n.database_kind = kind;
  return n;
}

} // namespace

TEST_CASE("a database no cluster claimed, or this cluster's, is admitted beside its own kind",
          "[cluster][database]") {
  CHECK(admit_database({"w-1", "db-a", "sqlite", ""}, "qc-1", {}, {}));
  CHECK(admit_database({"w-1", "db-a", "sqlite", "qc-1"}, "qc-1", {}, {}));
  CHECK(admit_database({"bridge", "", "", ""}, "qc-1", {member("w-1", "db-a", "sqlite")}, {}));
  // Several persistence nodes share one PostgreSQL database.
  CHECK(admit_database({"w-2", "db-p", "postgresql", "qc-1"}, "qc-1",
                       {member("w-1", "db-p", "postgresql")}, {}));
  // A node that comes back is not beside itself.
  CHECK(admit_database({"w-1", "db-a", "sqlite", "qc-1"}, "qc-1", {member("w-1", "db-a", "sqlite")},
                       {}));
  // Dead nodes hold nothing.
  CHECK(admit_database({"w-2", "db-b", "sqlite", ""}, "qc-1",
                       {member("w-1", "db-a", "sqlite", node_state::dead)}, {}));
}

TEST_CASE("another cluster's database is refused naming both clusters", "[cluster][database]") {
  auto refused = admit_database({"w-1", "db-a", "sqlite", "qc-other"}, "qc-ours", {}, {});
  REQUIRE_FALSE(refused);
  CHECK(refused.error() == errc::foreign_database);
  CHECK_THAT(refused.error().message, Catch::Contains("qc-other") && Catch::Contains("qc-ours"));
}

TEST_CASE("a second SQLite node, or a second database, is refused", "[cluster][database]") {
  const std::vector<node_info> sqlite{member("w-1", "db-a", "sqlite")};
  auto same = admit_database({"w-2", "db-a", "sqlite", ""}, "qc-1", sqlite, {});
  REQUIRE_FALSE(same);
  CHECK(same.error() == errc::database_conflict);
  CHECK_THAT(same.error().message, Catch::Contains("w-1") && Catch::Contains("SQLite"));
  CHECK_FALSE(admit_database({"w-2", "db-b", "sqlite", ""}, "qc-1", sqlite, {}));
  auto other = admit_database({"w-2", "db-q", "postgresql", ""}, "qc-1",
                              {member("w-1", "db-p", "postgresql")}, {});
  REQUIRE_FALSE(other);
  CHECK(other.error() == errc::database_conflict);
  // The coordinator's own database counts as a member's.
  CHECK_FALSE(admit_database({"w-1", "db-a", "sqlite", ""}, "qc-1", {},
                             {"coordinator", "db-a", "sqlite", "qc-1"}));
}
