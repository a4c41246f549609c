// kill -9 of the real `playsight serve` process while it deploys, for both registry backends: a
// client thread sends deploys (versions 1, 2, 3 in turn) without pause, the test SIGKILLs the
// server at a random moment, 20 times, restarting it each time. After each kill the alias must
// point at a version that exists, and the audit log's last move must agree with it.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <random>

#include "../support/postgres_server.h"
#include "serve_test_support.h"

namespace playsight::testing {
namespace {

enum class Backend { sqlite, postgres };

// A port nobody listens on now. (Not httplib::Server::bind_to_any_port: its socket stays open,
// and with SO_REUSEPORT it would share the server's connections.)
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), length);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

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
    serve::ApiKeys keys;
    key_ = keys.add("deployer", serve::Role::deploy);
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
  std::uniform_int_distribution<int> pause_ms(20, 200);
  int deploys_answered = 0;
  for (int kill = 0; kill < 20; ++kill) {
    const int port = free_port();
    const pid_t server = start_server(port);
    httplib::Client http("127.0.0.1", port);
    bool up = false;
    for (int i = 0; i < 500 && !up; ++i) {
      const auto ready = http.Get("/readyz");
      up = ready && ready->status == 200;
      if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(up) << "the server did not get ready; its log: " << temp_.file("serve.log");
    std::atomic<bool> stop = false;
    std::atomic<int> answered = 0;
    std::thread deployer([&] {
      httplib::Client client("127.0.0.1", port);
      client.set_tcp_nodelay(true);
      for (int k = kill; !stop; ++k) {
        const std::string body = "{\"version\": " + std::to_string(1 + k % 3) + "}";
        const auto result =
            client.Post("/v1/models/spend/aliases/production/deploy",
                        {{"Authorization", "Bearer " + key_}}, body, "application/json");
        if (result && result->status == 200) ++answered;
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(random)));
    ASSERT_EQ(::kill(server, SIGKILL), 0);
    int status = 0;
    ::waitpid(server, &status, 0);
    stop = true;
    deployer.join();
    EXPECT_TRUE(WIFSIGNALED(status)) << "the server ended before the kill";
    deploys_answered += answered;
    expect_consistent();
    if (HasFailure()) return;
  }
  std::printf("20 kills; %d deploys answered before them\n", deploys_answered);
  EXPECT_GT(deploys_answered, 40) << "the servers hardly deployed: the test tested little";
}

INSTANTIATE_TEST_SUITE_P(Backends, ServeCrashTest,
                         ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const ::testing::TestParamInfo<Backend>& param) {
                           return std::string(param.param == Backend::sqlite ? "sqlite"
                                                                             : "postgres");
                         });

}  // namespace
}  // namespace playsight::testing
