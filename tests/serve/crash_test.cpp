// kill -9 of the real `playsight serve` process while it deploys, for both registry backends: a
// client thread sends deploys (versions 1, 2, 3 in turn) without pause; in each of 20 rounds the
// test waits (bounded by an event, whatever the machine's speed) until the server has answered
// kMinDeploysPerRound deploys of the round, lets a random number of further deploys through, waits
// a random fraction of a deploy more, and SIGKILLs the server, so that the kill lands at random
// points of a deploy; then restarts it. After each kill the alias must point at a version that
// exists, and the audit log's last move must agree with it.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <random>

#include "../support/free_port.h"
#include "../support/postgres_server.h"
#include "serve_test_support.h"

namespace playsight::testing {
namespace {

enum class Backend { sqlite, postgres };

constexpr int kRounds = 20;
constexpr int kMinDeploysPerRound = 2;
constexpr auto kDeadline = std::chrono::seconds(60);

// Deploys answered in this round, bumped by the deployer thread; the test thread waits on it.
class AnsweredDeploys {
 public:
  void bump() {
    {
      const std::lock_guard lock(mutex_);
      ++count_;
    }
    changed_.notify_all();
  }
  // True once at least n were answered; false after kDeadline.
  bool wait_for(int n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kDeadline, [&] { return count_ >= n; });
  }
  int count() {
    const std::lock_guard lock(mutex_);
    return count_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int count_ = 0;
};

class ServeCrashTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    try {
      game_ = &trained_game();
      url_ = GetParam() == Backend::sqlite ? "sqlite://" + temp_.file("registry/registry.db")
                                           : new_postgres_database_url();
    } catch (const std::exception& error) {
      FAIL() << error.what();
    }
    registry::ModelRegistry registry = open();
    registry.register_version({game_->model_a(), "spend", "", {"trainer", ""}});
    registry.register_version({game_->model_b(), "spend", "", {"trainer", ""}});
    registry.register_version({game_->model_a(), "spend", "", {"trainer", "a again"}});
    registry.deploy("spend", 1, "production", {"setup", ""});
    access::ApiKeys keys;
    key_ = keys.add("deployer", access::Role::deploy);
    keys.save(temp_.file("keys.json"));
  }

  registry::ModelRegistry open() const {
    return registry::ModelRegistry({url_, temp_.file("store")});
  }

  pid_t start_server(int port) const {
    const pid_t pid = ::fork();
    if (pid == 0) {
      const std::string log = temp_.file("serve.log");
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      const std::string port_text = std::to_string(port);
      const std::string store = temp_.file("store");
      const std::string keys = temp_.file("keys.json");
      ::execl(PLAYSIGHT_BINARY, PLAYSIGHT_BINARY, "serve", "--registry", url_.c_str(), "--store",
              store.c_str(), "--keys", keys.c_str(), "--port", port_text.c_str(), "--poll-ms",
              "100", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    return pid;
  }

  // The alias points at an existing version and the log's last move agrees with it.
  void expect_consistent() {
    registry::ModelRegistry registry = open();
    std::optional<int> current;
    for (const auto& state : registry.aliases("spend"))
      if (state.alias == "production") current = state.version;
    ASSERT_TRUE(current) << "the alias is gone";
    EXPECT_NO_THROW(registry.version("spend", std::to_string(*current)));
    std::optional<int> last_move;
    for (const auto& entry : registry.history("spend"))
      if (entry.alias == "production") last_move = entry.to_version;
    EXPECT_EQ(last_move, current) << "the audit log disagrees with the alias";
  }

  const TrainedGame* game_ = nullptr;
  TempDir temp_;
  std::string url_;
  std::string key_;
};

TEST_P(ServeCrashTest, KillNineDuringDeploysLeavesTheAliasAtAnExistingVersion) {
  std::mt19937 random(20261130);
  std::uniform_int_distribution<int> extra_deploys(0, 3);
  std::uniform_int_distribution<int> pause_us(0, 3000);
  int deploys_answered = 0;
  for (int kill = 0; kill < kRounds; ++kill) {
    const int port = free_tcp_port();
    const pid_t server = start_server(port);
    httplib::Client http("127.0.0.1", port);
    bool up = false;
    for (const auto deadline = std::chrono::steady_clock::now() + kDeadline;
         !up && std::chrono::steady_clock::now() < deadline;) {
      const auto ready = http.Get("/readyz");
      up = ready && ready->status == 200;
      if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(up) << "the server did not get ready; its log: " << temp_.file("serve.log");
    std::atomic<bool> stop = false;
    AnsweredDeploys answered;
    std::thread deployer([&] {
      httplib::Client client("127.0.0.1", port);
      client.set_tcp_nodelay(true);
      for (int k = kill; !stop; ++k) {
        const std::string body = "{\"version\": " + std::to_string(1 + k % 3) + "}";
        const auto result =
            client.Post("/v1/models/spend/aliases/production/deploy",
                        {{"Authorization", "Bearer " + key_}}, body, "application/json");
        if (result && result->status == 200) answered.bump();
      }
    });
    const int wanted = kMinDeploysPerRound + extra_deploys(random);
    const bool enough = answered.wait_for(wanted);
    std::this_thread::sleep_for(std::chrono::microseconds(pause_us(random)));
    ASSERT_EQ(::kill(server, SIGKILL), 0);
    int status = 0;
    ::waitpid(server, &status, 0);
    stop = true;
    deployer.join();
    ASSERT_TRUE(enough) << "round " << kill << ": " << answered.count() << " of " << wanted
                        << " deploys answered within 60 s; the log: " << temp_.file("serve.log");
    EXPECT_TRUE(WIFSIGNALED(status)) << "the server ended before the kill";
    deploys_answered += answered.count();
    if (GetParam() == Backend::postgres) {
      ASSERT_TRUE(wait_until_no_other_session(url_)) << "the killed server's sessions did not end";
    }
    expect_consistent();
    if (HasFailure()) return;
  }
  std::printf("%d kills; %d deploys answered before them\n", kRounds, deploys_answered);
  EXPECT_GE(deploys_answered, kRounds * kMinDeploysPerRound);
}

INSTANTIATE_TEST_SUITE_P(Backends, ServeCrashTest,
                         ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const ::testing::TestParamInfo<Backend>& param) {
                           return std::string(param.param == Backend::sqlite ? "sqlite"
                                                                             : "postgres");
                         });

}  // namespace
}  // namespace playsight::testing
