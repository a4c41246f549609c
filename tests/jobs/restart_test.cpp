// kill -9 of the real `playsight serve --jobs` while a job runs, then a restart: every job ends
// in a stated state. The running one is failed with "lost when the service restarted" and its
// process is gone, the finished one keeps its state, the queued one starts and succeeds.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../support/checks.h"
#include "jobs_test_support.h"

namespace playsight::testing {
namespace {

using jobs::JobState;

class ServiceProcess {
 public:
  explicit ServiceProcess(const std::string& folder, const std::string& registry) {
    pid_ = ::fork();
    if (pid_ == 0) {
      const std::string log = folder + "/../service.log";
      std::freopen(log.c_str(), "a", stdout);
      std::freopen(log.c_str(), "a", stderr);
      ::execl(PLAYSIGHT_BINARY, PLAYSIGHT_BINARY, "serve", "--no-auth", "--port", "0", "--registry",
              registry.c_str(), "--jobs", folder.c_str(), "--max-running-per-user", "1",
              "--poll-ms", "100", static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~ServiceProcess() { kill(SIGKILL); }
  void kill(int signal_number) {
    if (pid_ <= 0) return;
    ::kill(pid_, signal_number);
    ::waitpid(pid_, nullptr, 0);
    pid_ = 0;
  }

 private:
  pid_t pid_ = 0;
};

template <typename Condition>
bool wait_until(Condition condition, std::chrono::seconds timeout = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

TEST(ServiceRestart, EveryJobEndsInAStatedState) {
  TempDir temp;
  const std::string folder = temp.file("jobs");
  const std::string registry = "sqlite://" + temp.file("registry.db");
  jobs::RunnerOptions options;
  options.folder = folder;
  jobs::JobRunner submitter(options);  // submits only; the service supervises
  const auto running = submitter.submit(helper_job("ann", {"sleep", "60"}));
  const auto finished = submitter.submit(helper_job("bob", {"exit", "0"}));
  const auto queued = submitter.submit(helper_job("ann", {"sleep", "1"}));

  auto service = std::make_unique<ServiceProcess>(folder, registry);
  ASSERT_TRUE(wait_until([&] {
    return submitter.find(running.id)->state == JobState::running &&
           submitter.find(finished.id)->state == JobState::succeeded;
  })) << run_command("cat " + temp.file("service.log")).output;
  EXPECT_EQ(submitter.find(queued.id)->state, JobState::queued);  // ann may run one at a time
  const int orphan = submitter.find(running.id)->pid;

  service->kill(SIGKILL);
  EXPECT_EQ(submitter.find(running.id)->state, JobState::running);  // as the dead service left it
  service = std::make_unique<ServiceProcess>(folder, registry);
  ASSERT_TRUE(wait_until([&] { return submitter.find(queued.id)->state == JobState::succeeded; }))
      << run_command("cat " + temp.file("service.log")).output;

  const jobs::JobRecord lost = *submitter.find(running.id);
  EXPECT_EQ(lost.state, JobState::failed);
  EXPECT_EQ(lost.reason, "lost when the service restarted");
  EXPECT_FALSE(jobs::process_group_alive(orphan));  // its process was killed, not left behind
  EXPECT_EQ(submitter.find(finished.id)->state, JobState::succeeded);

  // A normal stop kills what runs, with the reason.
  const auto last = submitter.submit(helper_job("bob", {"sleep", "60"}));
  ASSERT_TRUE(wait_until([&] { return submitter.find(last.id)->state == JobState::running; }));
  service->kill(SIGTERM);
  EXPECT_EQ(submitter.find(last.id)->state, JobState::killed);
  EXPECT_EQ(submitter.find(last.id)->reason, "the service stopped");
}

}  // namespace
}  // namespace playsight::testing
