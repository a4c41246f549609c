// The registry's PostgreSQL restarted while the service takes predictions and deploys. A client
// thread predicts without pause; another cycles deploy version 2, read the model
// (GET /v1/models/spend), roll back (to 1). The test waits (by events, with generous deadlines)
// for a few cycles, stops PostgreSQL, keeps it down for at least 2 s and until some registry calls
// failed and some predictions were answered meanwhile, starts it again on the same port and data,
// and waits for the first registry call that succeeds and a few cycles after it.
//   - every prediction is answered 200, before, during and after the outage;
//   - every registry call that failed is a 503 with Retry-After and the message "the model
//     registry URL is unavailable (...); retry later", and none failed before the stop or after
//     the first success following the restart (the service reconnects on its own);
//   - the registry is consistent afterwards, and the service serves the version the alias names.
// And a restart while the service made no registry call fails no call after it.
#include <atomic>
#include <mutex>

#include "../support/postgres_server.h"
#include "serve_test_support.h"

namespace playsight::testing {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kDeadline = std::chrono::seconds(60);

enum class Phase { before, outage, after };

struct Call {
  Phase phase;           // when it was sent
  Phase answered_phase;  // when its answer came
  std::string what;
  int status = 0;  // 0: no answer
  std::string body;
  std::string retry_after;
};

class RegistryOutageTest : public ServeTest {
 protected:
  void SetUp() override {
    ServeTest::SetUp();
    if (HasFatalFailure()) return;
    try {
      postgres_ = std::make_unique<PostgresServer>();
      registry_url_ = postgres_->url_for_new_database();
    } catch (const std::exception& error) {
      FAIL() << error.what();
    }
    registry::ModelRegistry registry({registry_url_, temp_.file("store")});
    registry.register_version({game_->model_a(), "spend", "", {"trainer", ""}});
    registry.register_version({game_->model_b(), "spend", "", {"trainer", ""}});
    registry.deploy("spend", 1, "production", {"setup", ""});
  }

  // Waits until done() holds, checking every 10 ms; false after kDeadline.
  static bool wait_until(const std::function<bool()>& done) {
    for (const auto deadline = Clock::now() + kDeadline; Clock::now() < deadline;) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
  }

  std::unique_ptr<PostgresServer> postgres_;
};

TEST_F(RegistryOutageTest, PredictionsGoOnRegistryCallsAnswer503AndAllSucceedAfterTheRestart) {
  start();
  const std::string body = players_body(read_table_csv(game_->features()), 0, 5);
  std::atomic<Phase> phase = Phase::before;
  std::atomic<bool> stop = false;
  std::atomic<int> predictions[3] = {0, 0, 0}, prediction_failures = 0;
  std::string first_prediction_failure;
  std::thread predictor([&] {
    httplib::Client http = client();
    while (!stop) {
      const Phase now = phase;
      const auto reply =
          http.Post(kPredictPath.c_str(), bearer(predict_key_), body, "application/json");
      if (reply && reply->status == 200) {
        ++predictions[static_cast<int>(now)];
      } else if (prediction_failures++ == 0) {
        first_prediction_failure = reply ? std::to_string(reply->status) + " " + reply->body
                                         : httplib::to_string(reply.error());
      }
    }
  });

  std::mutex calls_mutex;
  std::vector<Call> calls;
  std::atomic<int> cycles = 0;
  std::atomic<int> succeeded_after = 0;  // registry calls answered 200 in Phase::after
  std::thread deployer([&] {
    httplib::Client http = client();
    const auto call = [&](const std::string& what, const std::function<httplib::Result()>& send) {
      Call record{phase, phase, what, 0, "", ""};
      const httplib::Result reply = send();
      record.answered_phase = phase;
      if (reply) {
        record.status = reply->status;
        record.body = reply->body;
        record.retry_after = reply->get_header_value("Retry-After");
      }
      if (record.phase == Phase::after && record.status == 200) ++succeeded_after;
      const std::lock_guard lock(calls_mutex);
      calls.push_back(record);
      return record.status == 200;
    };
    const std::string alias = "/v1/models/spend/aliases/production";
    while (!stop) {
      const bool deployed = call("deploy", [&] {
        return http.Post((alias + "/deploy").c_str(), bearer(deploy_key_), R"({"version": 2})",
                         "application/json");
      });
      call("read", [&] { return http.Get("/v1/models/spend", bearer(predict_key_)); });
      if (!deployed) continue;  // nothing of this cycle's to roll back
      if (call("rollback", [&] {
            return http.Post((alias + "/rollback").c_str(), bearer(deploy_key_), "{}",
                             "application/json");
          }))
        ++cycles;
    }
  });

  const auto finish = [&] {
    stop = true;
    predictor.join();
    deployer.join();
  };
  if (!wait_until([&] { return cycles >= 5 && predictions[0] >= 20; })) {
    finish();
    FAIL() << "the service did not deploy and predict before the outage";
  }
  const auto failed_calls = [&] {
    const std::lock_guard lock(calls_mutex);
    return std::count_if(calls.begin(), calls.end(), [](const Call& c) { return c.status != 200; });
  };
  phase = Phase::outage;
  const auto stopped_at = Clock::now();
  postgres_->stop();
  const bool outage_seen = wait_until([&] {
    return Clock::now() - stopped_at >= std::chrono::seconds(2) && failed_calls() >= 3 &&
           predictions[1] >= 20;
  });
  const double outage_s = std::chrono::duration<double>(Clock::now() - stopped_at).count();
  postgres_->start();
  phase = Phase::after;
  const bool recovered = wait_until([&] { return succeeded_after >= 30 && predictions[2] >= 20; });
  finish();
  ASSERT_TRUE(outage_seen) << "no registry call failed while PostgreSQL was down";
  ASSERT_TRUE(recovered) << "the registry calls did not succeed again after the restart";

  EXPECT_EQ(prediction_failures, 0) << "the first: " << first_prediction_failure;
  // The outage runs from the stop to the first success after the restart.
  const std::string unavailable = "the model registry " + registry_url_ + " is unavailable (";
  int failed = 0, failed_outside = 0, bad_failures = 0, after_recovery = 0;
  bool recovered_yet = false;
  std::string first_bad, first_failure, last_failure;
  for (const Call& c : calls) {
    if (c.phase == Phase::after && c.status == 200) recovered_yet = true;
    if (recovered_yet && c.phase == Phase::after) ++after_recovery;
    if (c.status == 200) continue;
    ++failed;
    (first_failure.empty() ? first_failure : last_failure) = c.what + ": " + c.body;
    if (c.answered_phase == Phase::before || recovered_yet) ++failed_outside;
    const bool stated = c.status == 503 && c.retry_after == "1" &&
                        c.body.find(unavailable) != std::string::npos &&
                        c.body.find("); retry later") != std::string::npos;
    if (!stated && bad_failures++ == 0)
      first_bad = c.what + ": " + std::to_string(c.status) + " " + c.body;
  }
  EXPECT_EQ(failed_outside, 0) << "registry calls failed before the stop or after the recovery";
  EXPECT_EQ(bad_failures, 0) << "a failure that is not a stated 503: " << first_bad;
  EXPECT_GT(failed, 0);

  // Consistent, and served as the registry says (the watcher survived the outage too).
  registry::ModelRegistry registry({registry_url_, temp_.file("store")});
  const registry::ModelVersion aliased = registry.version("spend", "production");
  std::optional<int> last_move;
  for (const auto& entry : registry.history("spend"))
    if (entry.alias == "production") last_move = entry.to_version;
  EXPECT_EQ(last_move, aliased.version) << "the audit log disagrees with the alias";
  EXPECT_TRUE(wait_until([&] {
    const auto served = client().Get("/v1/models/spend/aliases/production", bearer(predict_key_));
    return served && served->status == 200 &&
           json_of(served)["version"].get<int>() == aliased.version;
  })) << "the service does not serve the version the alias points at";

  std::printf(
      "outage %.1f s; predictions answered 200: %d before, %d during, %d after, %d failed; "
      "registry calls: %zu, %d failed (all 503 with the message: %s), %d after the recovery, "
      "all answered 200; alias at version %d, the log agrees\n",
      outage_s, predictions[0].load(), predictions[1].load(), predictions[2].load(),
      prediction_failures.load(), calls.size(), failed, bad_failures == 0 ? "yes" : "no",
      after_recovery, aliased.version);
  std::printf("the first failure: %s\nthe last: %s\n", first_failure.c_str(), last_failure.c_str());
}

// PostgreSQL restarted while the service made no registry call: the service's kept connection is
// closed by then, and the next calls must not fail for it (the call is tried again on a new one).
TEST_F(RegistryOutageTest, ARestartWhileIdleFailsNoCall) {
  start();
  const auto read = [&] { return client().Get("/v1/models/spend", bearer(predict_key_)); };
  ASSERT_EQ(read()->status, 200);
  postgres_->stop();
  postgres_->start();
  const auto deployed =
      post("/v1/models/spend/aliases/production/deploy", R"({"version": 2})", deploy_key_);
  EXPECT_EQ(deployed->status, 200) << deployed->body;
  EXPECT_EQ(json_of(deployed)["served_version"], 2);
  const auto rolled_back = post("/v1/models/spend/aliases/production/rollback", "{}", deploy_key_);
  EXPECT_EQ(rolled_back->status, 200) << rolled_back->body;
  EXPECT_EQ(read()->status, 200);
}

}  // namespace
}  // namespace playsight::testing
