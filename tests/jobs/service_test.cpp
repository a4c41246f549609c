// The job endpoints of `playsight serve --jobs`: a memory hog next to a training job and a stream
// of prediction requests (the hog is killed with its reason, the training job's model equals a
// solo run's, no prediction fails); who may see and cancel which job; bad requests.
#include <atomic>
#include <fstream>
#include <sstream>

#include "../serve/serve_test_support.h"
#include "jobs_test_support.h"
#include "tasks/task.h"

namespace playsight::testing {
namespace {

using json = nlohmann::json;

std::string file_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class JobServiceTest : public ServeTest {
 protected:
  serve::ServiceOptions job_options() const { return job_service_options(); }

  json get_json(const std::string& path, const std::string& key) {
    const auto reply = client().Get(path.c_str(), bearer(key));
    EXPECT_TRUE(reply);
    return reply ? json::parse(reply->body) : json();
  }

  json wait_job(std::int64_t id, const std::string& key, int seconds = 120) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    for (;;) {
      json job = get_json("/v1/jobs/" + std::to_string(id), key);
      const std::string state = job.value("state", "");
      if (state == "succeeded" || state == "failed" || state == "killed" ||
          std::chrono::steady_clock::now() > deadline)
        return job;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
};

TEST_F(JobServiceTest, HogIsKilledWhileTrainingAndPredictionsCarryOn) {
  // The solo run: the same training, alone, outside any job.
  const std::string solo = temp_.file("solo-model");
  const std::string train_arguments =
      "--features " + game_->features() + " --model mse_model --all-players --threads 1 --out ";
  run_or_fail("train " + train_arguments + solo);

  start(job_options());
  jobs::JobRunner& runner = *service_->jobs();
  jobs::JobLimits hog_limits = small_limits();
  hog_limits.memory_bytes = 128ull << 20;
  const auto hog = runner.submit(helper_job("mallory", {"hog"}, hog_limits));
  const auto reply = post("/v1/jobs",
                          json{{"task", "train"},
                               {"arguments",
                                {"--features", game_->features(), "--model", "mse_model",
                                 "--all-players", "--threads", "1", "--out", "model"}},
                               {"memory", "1G"},
                               {"cpu", "1"},
                               {"wall", "10m"},
                               {"processes", 32}}
                              .dump(),
                          predict_key_);
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 201) << reply->body;
  const std::int64_t training = json::parse(reply->body)["id"];

  // Predictions all along.
  const Table table = read_table_csv(game_->features());
  const std::string body = players_body(table, 0, 50);
  std::atomic<bool> done{false};
  std::atomic<int> answered{0}, failed{0};
  std::thread predictions([&] {
    httplib::Client http = client();
    while (!done) {
      const auto answer =
          http.Post(kPredictPath.c_str(), bearer(predict_key_), body, "application/json");
      (answer && answer->status == 200 ? answered : failed)++;
    }
  });
  const json trained = wait_job(training, predict_key_, 300);
  const jobs::JobRecord hog_record = wait_finished(runner, hog.id);
  done = true;
  predictions.join();

  EXPECT_EQ(hog_record.state, jobs::JobState::killed);
  if (runner.isolation() != jobs::IsolationKind::rlimits) {
    EXPECT_EQ(hog_record.reason, "memory limit 128 MiB exceeded");
  }
  ASSERT_EQ(trained["state"], "succeeded") << trained.dump();
  EXPECT_EQ(failed, 0);
  EXPECT_GT(answered, 10);
  const std::filesystem::path model = std::filesystem::path(temp_.file("jobs")) /
                                      ("job-" + std::to_string(training)) / "artifacts" / "model";
  for (const auto& entry : std::filesystem::directory_iterator(solo)) {
    const std::string name = entry.path().filename().string();
    if (name == "model.json") {
      json ours = json::parse(file_text(model / name));
      json theirs = json::parse(file_text(entry.path()));
      ours["metrics"].erase("train_seconds");  // the one metric that is a measurement of time
      theirs["metrics"].erase("train_seconds");
      EXPECT_EQ(ours["metrics"], theirs["metrics"]);
      EXPECT_EQ(ours["metrics"].size(), 8u);
    } else {
      EXPECT_EQ(file_text(model / name), file_text(entry.path())) << name;
    }
  }
  EXPECT_NE(std::find(trained["artifacts"].begin(), trained["artifacts"].end(), "model"),
            trained["artifacts"].end());
}

TEST_F(JobServiceTest, UsersSeeTheirOwnJobsAndAdminsSeeAll) {
  start(job_options());
  const auto submitted = post("/v1/jobs",
                              json{{"task", "generate"},
                                   {"options", {{"out", "logs"}, {"players", 200}}},
                                   {"memory", "256M"},
                                   {"wall", "2m"}}
                                  .dump(),
                              deploy_key_);
  ASSERT_EQ(submitted->status, 201) << submitted->body;
  const std::int64_t id = json::parse(submitted->body)["id"];
  const std::string path = "/v1/jobs/" + std::to_string(id);
  EXPECT_EQ(json::parse(submitted->body)["user"], "deployer");

  // Another user: the job does not exist for them, not in the list either, and cannot be cancelled.
  const auto other = client().Get(path.c_str(), bearer(predict_key_));
  EXPECT_EQ(other->status, 404);
  EXPECT_EQ(
      json::parse(other->body)["error"],
      "no job " + std::to_string(id) +
          " among the jobs of 'reader' (a key sees its own jobs only; an admin key sees all)");
  EXPECT_EQ(client().Get((path + "/log").c_str(), bearer(predict_key_))->status, 404);
  EXPECT_EQ(client().Delete(path.c_str(), bearer(predict_key_))->status, 404);
  EXPECT_TRUE(get_json("/v1/jobs", predict_key_)["jobs"].empty());
  EXPECT_EQ(client().Get("/v1/jobs")->status, 401);

  // The owner and an admin.
  EXPECT_EQ(get_json("/v1/jobs", deploy_key_)["jobs"].size(), 1u);
  EXPECT_EQ(get_json("/v1/jobs", admin_key_)["jobs"].size(), 1u);
  const json finished = wait_job(id, admin_key_);
  EXPECT_EQ(finished["state"], "succeeded") << finished.dump();
  EXPECT_EQ(finished["isolation"], jobs::isolation_name(service_->jobs()->isolation()));
  const auto log = client().Get((path + "/log").c_str(), bearer(deploy_key_));
  EXPECT_EQ(log->status, 200);
  EXPECT_NE(log->body.find("job " + std::to_string(id) + " succeeded"), std::string::npos);
  const auto late_cancel = client().Delete(path.c_str(), bearer(admin_key_));
  EXPECT_EQ(late_cancel->status, 409);
  EXPECT_EQ(json::parse(late_cancel->body)["error"],
            "job " + std::to_string(id) + " has already finished (succeeded)");
}

TEST_F(JobServiceTest, AdminCancelsAnotherUsersJob) {
  start(job_options());
  jobs::JobRunner& runner = *service_->jobs();
  const auto job = runner.submit(helper_job("reader", {"sleep", "60"}));
  while (runner.find(job.id)->state == jobs::JobState::queued)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const std::string path = "/v1/jobs/" + std::to_string(job.id);
  EXPECT_EQ(client().Delete(path.c_str(), bearer(deploy_key_))->status, 404);
  EXPECT_EQ(client().Delete(path.c_str(), bearer(admin_key_))->status, 200);
  const jobs::JobRecord record = wait_finished(runner, job.id, std::chrono::seconds(10));
  EXPECT_EQ(record.state, jobs::JobState::killed);
  EXPECT_EQ(record.reason, "cancelled by admin");
}

TEST_F(JobServiceTest, BadSubmissionsGetClearErrors) {
  start(job_options());
  const auto error_of = [&](const json& body) {
    const auto reply = post("/v1/jobs", body.dump(), predict_key_);
    return std::to_string(reply->status) + " " +
           json::parse(reply->body)["error"].get<std::string>();
  };
  EXPECT_EQ(error_of({{"task", "rm"}}), "400 unknown task 'rm'; known: " + tasks::job_task_names());
  // Options are checked against the task's declarations, and named.
  EXPECT_EQ(error_of({{"task", "generate"}, {"options", {{"out", "logs"}, {"players", "many"}}}}),
            "400 options.players: expected a whole number, got 'many'");
  EXPECT_TRUE(
      error_of({{"task", "generate"}, {"options", {{"out", "logs"}, {"colour", 1}}}})
          .starts_with("400 options.colour: not an option of generate (its options: out, "));
  EXPECT_EQ(error_of({{"task", "geo select"}, {"options", {{"budget", 5}}}}),
            "400 options.regions is required (geo select: " +
                tasks::find("geo select")->option("regions")->help + ")");
  EXPECT_EQ(error_of({{"task", "generate"}, {"arguments", {"--players", "many"}}}),
            "400 --players: expected a whole number, got 'many'");
  EXPECT_EQ(error_of({{"task", "train"}, {"memory", "0M"}}), "400 memory '0M': must be positive");
  EXPECT_EQ(error_of({{"task", "train"}, {"wall", "soon"}}),
            "400 wall 'soon': expected a duration such as 500ms, 30s, 10m or 2h");
  EXPECT_EQ(error_of({{"task", "train"}, {"processes", 0}}),
            "400 processes '0': expected a whole number from 1 to 100000");
  EXPECT_EQ(error_of({{"task", "train"}, {"memory", "64G"}}).substr(0, 18), "400 --memory 64 Gi");
  EXPECT_EQ(error_of({{"arguments", {"x"}}}),
            "400 task: expected the name of a playsight task, e.g. \"train\"");
  EXPECT_EQ(client().Get("/v1/jobs/abc", bearer(admin_key_))->status, 404);
  EXPECT_EQ(client().Get("/v1/jobs/999", bearer(admin_key_))->status, 404);
}

}  // namespace
}  // namespace playsight::testing
