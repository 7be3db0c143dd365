#include <catch2/catch.hpp>

#include "runtime/cluster/dispatcher.hpp"

using namespace qs::runtime::cluster;
using namespace std::chrono_literals;

namespace {

// What a node says when it cannot do a task.
qs::error failed(const std::string& why) {
  return qs::error(errc::task_failed, why);
}

} // namespace

namespace {

const auto t0 = std::chrono::steady_clock::time_point{} + 1h;

task make_task(const std::string& id, const std::string& role = "predictor",
               std::chrono::milliseconds deadline_in = 10s) {
  task t;
  t.id = id;
  t.role = role;
  t.body = "{}";
  t.deadline = t0 + deadline_in;
  t.queued_at = t0;
  return t;
}

std::vector<std::string> nodes_of(const std::vector<assignment>& assignments) {
  std::vector<std::string> out;
  for (const auto& a : assignments)
    out.push_back(a.node_id);
  return out;
}

} // namespace

TEST_CASE("a task goes only to a node with credit for its role", "[dispatcher]") {
  dispatcher work;
  REQUIRE(work.submit(make_task("t1", "anomaly")));
  work.credit("n1", "predictor", 5);
  CHECK(work.next_assignments(t0).empty());
  CHECK(work.queue_depth() == 1);

  work.credit("n2", "anomaly", 1);
  auto sent = work.next_assignments(t0);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].node_id == "n2");
  CHECK(sent[0].task.id == "t1");
  CHECK(sent[0].task.attempt == 1);
  CHECK(work.queue_depth() == 0);
  CHECK(work.in_flight("n2") == 1);
  CHECK(work.credits("n2", "anomaly") == 0);
}

TEST_CASE("a node gets no more tasks than its credits, oldest first", "[dispatcher]") {
  dispatcher work;
  for (auto id : {"t1", "t2", "t3"})
    REQUIRE(work.submit(make_task(id)));
  work.credit("n1", "predictor", 2);
  auto sent = work.next_assignments(t0);
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].task.id == "t1");
  CHECK(sent[1].task.id == "t2");
  CHECK(work.queue_depth() == 1);
  CHECK(work.next_assignments(t0).empty());

  work.credit("n1", "predictor", 1); // READY
  CHECK(work.next_assignments(t0).size() == 1);
  CHECK(work.in_flight("n1") == 3);
}

TEST_CASE("a task id already pending is not queued twice", "[dispatcher]") {
  dispatcher work;
  CHECK(work.submit(make_task("t1")));
  CHECK(!work.submit(make_task("t1")));
  work.credit("n1", "predictor", 1);
  work.next_assignments(t0);
  CHECK(!work.submit(make_task("t1"))); // in flight
  CHECK(work.queue_depth() == 0);
}

TEST_CASE("a duplicate result is ignored", "[dispatcher]") {
  dispatcher work;
  work.submit(make_task("t1"));
  work.credit("n1", "predictor", 1);
  work.next_assignments(t0);

  CHECK(work.complete("t1", "n1"));
  CHECK(!work.complete("t1", "n1"));
  CHECK(!work.complete("never-sent", "n1"));
  CHECK(work.tasks_done("n1") == 1);
  CHECK(work.in_flight("n1") == 0);
}

TEST_CASE("a result from a node that never had the task is ignored", "[dispatcher]") {
  dispatcher work;
  work.submit(make_task("t1"));
  work.credit("n1", "predictor", 1);
  work.next_assignments(t0);
  CHECK(!work.complete("t1", "n2"));
  CHECK(work.in_flight("n1") == 1);
}

TEST_CASE("a failed task is retried on a node it has not failed on", "[dispatcher]") {
  dispatcher work;
  work.submit(make_task("t1"));
  work.credit("n1", "predictor", 5);
  work.credit("n2", "predictor", 1);
  REQUIRE(nodes_of(work.next_assignments(t0)) == std::vector<std::string>{"n1"});

  CHECK(work.fail("t1", "n1", failed("worker crashed twice"), t0 + 10ms));
  CHECK(!work.fail("t1", "n1", failed("again"), t0 + 10ms)); // no longer in flight there
  auto retry = work.next_assignments(t0 + 10ms);
  REQUIRE(retry.size() == 1);
  CHECK(retry[0].node_id == "n2"); // though n1 has more credits
  CHECK(retry[0].task.attempt == 2);
  CHECK(retry[0].task.failed_on == std::vector<std::string>{"n1"});
}

TEST_CASE("a task with nowhere else to go is retried on the node it failed on", "[dispatcher]") {
  dispatcher work;
  work.submit(make_task("t1"));
  work.credit("n1", "predictor", 2);
  work.next_assignments(t0);
  work.fail("t1", "n1", failed("worker crashed twice"), t0);
  CHECK(nodes_of(work.next_assignments(t0)) == std::vector<std::string>{"n1"});
}

TEST_CASE("a task that failed on three nodes goes to the dead-letter list with its reason",
          "[dispatcher]") {
  dispatcher work;
  work.submit(make_task("t1"));
  for (auto node : {"n1", "n2", "n3"}) {
    work.credit(node, "predictor", 1);
    auto sent = work.next_assignments(t0);
    REQUIRE(nodes_of(sent) == std::vector<std::string>{node});
    CHECK(work.fail("t1", node, failed("model file is corrupt"), t0));
  }
  CHECK(work.queue_depth() == 0);
  auto dead = work.dead_letters();
  REQUIRE(dead.size() == 1);
  CHECK(dead[0].task_id == "t1");
  CHECK(dead[0].role == "predictor");
  CHECK(dead[0].attempts == 3);
  CHECK(dead[0].reason == "failed on 3 nodes (n1, n2, n3); last: model file is corrupt");

  auto given_up = work.take_abandoned();
  REQUIRE(given_up.size() == 1);
  CHECK(given_up[0].task.id == "t1");
  CHECK(given_up[0].error.message == dead[0].reason);
  CHECK(given_up[0].error == errc::task_failed); // the code of its last failure
  CHECK(work.take_abandoned().empty());          // handed back once
}

TEST_CASE("a task not answered within the task timeout is retried on another node",
          "[dispatcher]") {
  dispatcher work;
  work.submit(make_task("t1"));
  work.credit("n1", "predictor", 1);
  work.next_assignments(t0);
  work.credit("n2", "predictor", 1);

  work.expire(t0 + 499ms);
  CHECK(work.in_flight("n1") == 1);
  CHECK(work.next_timeout() == t0 + 500ms);
  work.expire(t0 + 500ms);
  CHECK(work.in_flight("n1") == 0);
  auto retry = work.next_assignments(t0 + 500ms);
  REQUIRE(retry.size() == 1);
  CHECK(retry[0].node_id == "n2");
  CHECK(retry[0].task.attempt == 2);
}

TEST_CASE("each role has its own timeout; a scan task is retried only when its node dies",
          "[dispatcher]") {
  dispatcher_config cfg;
  cfg.role_timeouts = {{"anomaly", 2s}, {"scanner", 0ms}};
  dispatcher work(cfg);
  work.submit(make_task("p", "predictor", 1h));
  work.submit(make_task("a", "anomaly", 1h));
  work.submit(make_task("s", "scanner", 1h));
  for (auto role : {"predictor", "anomaly", "scanner"})
    work.credit("n1", role, 1);
  REQUIRE(work.next_assignments(t0).size() == 3);
  CHECK(work.next_timeout() == t0 + 500ms);
  work.expire(t0 + 500ms); // the predictor task times out, the others do not
  CHECK(work.in_flight("n1") == 2);
  CHECK(work.next_timeout() == t0 + 2s);
  work.expire(t0 + 2s);
  CHECK(work.in_flight("n1") == 1);
  CHECK(work.next_timeout() == t0 + 1h); // only the scan's deadline is left
  work.expire(t0 + 30min);
  CHECK(work.in_flight("n1") == 1); // a long scan is not repeated elsewhere
  work.credit("n2", "scanner", 1);
  work.node_dead("n1", t0 + 30min);
  auto moved = work.next_assignments(t0 + 30min);
  REQUIRE(moved.size() == 1);
  CHECK(moved[0].task.id == "s");
  CHECK(moved[0].node_id == "n2");
  CHECK(moved[0].task.failed_on == std::vector<std::string>{"n1"});
}

TEST_CASE("a late answer from a timed-out node completes the task once", "[dispatcher]") {
  dispatcher work;
  work.submit(make_task("t1"));
  work.credit("n1", "predictor", 1);
  work.credit("n2", "predictor", 1);
  work.next_assignments(t0);
  work.expire(t0 + 600ms);
  work.next_assignments(t0 + 600ms); // now in flight on n2

  CHECK(work.complete("t1", "n1"));  // the slow first answer wins
  CHECK(!work.complete("t1", "n2")); // the retry's answer is a duplicate
  CHECK(work.in_flight("n2") == 0);
  CHECK(work.tasks_done("n1") == 1);
}

TEST_CASE("a dead node's in-flight tasks are re-dispatched at once", "[dispatcher]") {
  dispatcher work;
  for (auto id : {"t1", "t2", "t3"})
    work.submit(make_task(id));
  work.credit("n1", "predictor", 2);
  work.next_assignments(t0);
  work.credit("n2", "predictor", 5);
  CHECK(work.next_assignments(t0).size() == 1); // t3 on n2

  work.node_dead("n1", t0 + 1ms);
  CHECK(work.in_flight("n1") == 0);
  CHECK(work.credits("n1", "predictor") == 0);
  auto again = work.next_assignments(t0 + 1ms);
  REQUIRE(again.size() == 2);
  CHECK(again[0].task.id == "t1");
  CHECK(again[1].task.id == "t2");
  CHECK(nodes_of(again) == std::vector<std::string>{"n2", "n2"});
  CHECK(again[0].task.attempt == 2);
}

TEST_CASE("a task whose deadline passed is given up as \"deadline passed\"", "[dispatcher]") {
  dispatcher work;
  work.submit(make_task("queued", "predictor", 100ms));
  work.submit(make_task("sent", "anomaly", 300ms));
  work.credit("n1", "anomaly", 1);
  work.next_assignments(t0);
  CHECK(work.next_timeout() == t0 + 100ms);

  work.expire(t0 + 100ms);
  CHECK(work.queue_depth() == 0);
  work.expire(t0 + 300ms);
  CHECK(work.in_flight("n1") == 0);
  auto given_up = work.take_abandoned();
  REQUIRE(given_up.size() == 2);
  CHECK(given_up[0].task.id == "queued");
  CHECK(given_up[0].error.message == "deadline passed");
  CHECK(given_up[0].error == errc::timeout);
  CHECK(given_up[1].task.id == "sent");
  CHECK(given_up[1].error.message == "deadline passed");
  CHECK(work.dead_letters().empty());
  CHECK(!work.complete("sent", "n1")); // too late to count
  CHECK(!work.next_timeout());
}

TEST_CASE("a task is never dispatched after its deadline", "[dispatcher]") {
  dispatcher work;
  work.submit(make_task("t1", "predictor", 50ms));
  work.credit("n1", "predictor", 1);
  CHECK(work.next_assignments(t0 + 50ms).empty());
  CHECK(work.credits("n1", "predictor") == 1);
  REQUIRE(work.take_abandoned().size() == 1);
}

TEST_CASE("a node whose role is down gets none of its work and its tasks move at once",
          "[dispatcher]") {
  dispatcher work;
  work.submit(make_task("p1", "predictor"));
  work.submit(make_task("a1", "anomaly"));
  work.credit("n1", "predictor", 3);
  work.credit("n1", "anomaly", 3);
  REQUIRE(work.next_assignments(t0).size() == 2);

  work.role_down("n1", "predictor", t0);
  CHECK(work.credits("n1", "predictor") == 0);
  CHECK(work.credits("n1", "anomaly") == 2); // one spent on a1
  CHECK(work.in_flight("n1") == 1);          // a1 stays
  CHECK(work.queue_depth() == 1);
  work.credit("n2", "predictor", 1);
  CHECK(nodes_of(work.next_assignments(t0)) == std::vector<std::string>{"n2"});
}

TEST_CASE("a draining node keeps its tasks but gets no new ones", "[dispatcher]") {
  dispatcher work;
  work.submit(make_task("t1"));
  work.submit(make_task("t2"));
  work.credit("n1", "predictor", 1);
  work.next_assignments(t0);
  work.credit("n1", "predictor", 1);
  work.withdraw("n1");
  CHECK(work.next_assignments(t0).empty());
  CHECK(work.complete("t1", "n1"));
}

TEST_CASE("a keyed task goes to its key's owner on the ring, and waits for its credit",
          "[dispatcher]") {
  dispatcher_config cfg;
  cfg.task_timeout = 500ms;
  dispatcher work(cfg);
  work.set_ring("anomaly", {"n1", "n2", "n3"});
  hash_ring ring;
  for (const char* n : {"n1", "n2", "n3"})
    ring.add(n);
  for (const char* n : {"n1", "n2", "n3"})
    work.credit(n, "anomaly", 100);
  // Every key lands on its owner, whichever node has the most credits.
  for (int i = 0; i < 30; ++i) {
    auto t = make_task("t" + std::to_string(i), "anomaly");
    t.shard_key = "shard-" + std::to_string(i);
    REQUIRE(work.submit(t));
    auto sent = work.next_assignments(t0);
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].node_id == *ring.owner(t.shard_key));
  }
  // An owner without credit: the task waits, then goes elsewhere after the timeout.
  const std::string owner = *ring.owner("shard-x");
  work.withdraw(owner);
  auto t = make_task("tx", "anomaly");
  t.shard_key = "shard-x";
  REQUIRE(work.submit(t));
  CHECK(work.next_assignments(t0 + 100ms).empty());
  auto later = work.next_assignments(t0 + 600ms);
  REQUIRE(later.size() == 1);
  CHECK(later[0].node_id != owner);
}

TEST_CASE("a keyed task that failed on its owner may go to another node", "[dispatcher]") {
  dispatcher work;
  work.set_ring("anomaly", {"n1", "n2"});
  work.credit("n1", "anomaly", 5);
  work.credit("n2", "anomaly", 5);
  auto t = make_task("t1", "anomaly");
  t.shard_key = "shard-7";
  REQUIRE(work.submit(t));
  auto first = work.next_assignments(t0);
  REQUIRE(first.size() == 1);
  REQUIRE(work.fail("t1", first[0].node_id, failed("crashed twice"), t0));
  auto second = work.next_assignments(t0);
  REQUIRE(second.size() == 1);
  CHECK(second[0].node_id != first[0].node_id);
}
