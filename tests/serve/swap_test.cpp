// Swapping versions under load: 20 deploy / rollback cycles through the API while client threads
// send prediction requests without pause. No request may fail, and each answer must come from a
// version that was live at some moment between the request's sending and its answer (the alias
// moves are timed on the deploying side), computed wholly by that version (its prediction for a
// known player is that version's, to the bit).
#include <atomic>
#include <map>
#include <set>

#include "serve_test_support.h"

namespace playsight::testing {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct Answer {
  Clock::time_point sent, received;
  int status = 0;
  int header_version = 0;
  int body_version = 0;
  double first_prediction = 0;
  std::size_t predictions = 0;
};

// Versions live at some moment of [from, to]: before the first move, between moves, and both
// ends of a move while it is under way.
struct AliasTimeline {
  struct Move {
    Clock::time_point start, end;
    int from = 0, to = 0;
  };
  int initial = 0;
  std::vector<Move> moves;

  std::set<int> live_during(Clock::time_point from, Clock::time_point to) const {
    std::set<int> live;
    int current = initial;
    Clock::time_point since = Clock::time_point::min();
    for (const Move& move : moves) {
      if (since <= to && move.start >= from) live.insert(current);  // [since, move.start]
      if (move.start <= to && move.end >= from) live.insert({move.from, move.to});
      current = move.to;
      since = move.end;
    }
    if (since <= to) live.insert(current);
    return live;
  }
};

class ServeSwapTest : public ServeTest {};

TEST_F(ServeSwapTest, TwentyDeployRollbackCyclesUnderLoadFailNoRequestAndMixNoVersions) {
  start();
  const Table features = read_table_csv(game_->features());
  const std::string single = players_body(features, 0, 1);
  const std::string batch = players_body(features, 0, 100);
  const std::string deploy = "/v1/models/spend/aliases/production/deploy";
  const std::string rollback = "/v1/models/spend/aliases/production/rollback";

  // What each version predicts for player 0, by a request when it alone is live.
  std::map<int, double> expected;
  expected[1] =
      json_of(post(kPredictPath, single, predict_key_))["predictions"][0]["topup_amount_next_30d"];
  ASSERT_EQ(post(deploy, R"({"version": 2})", deploy_key_)->status, 200);
  expected[2] =
      json_of(post(kPredictPath, single, predict_key_))["predictions"][0]["topup_amount_next_30d"];
  ASSERT_EQ(post(rollback, "", deploy_key_)->status, 200);
  ASSERT_NE(expected[1], expected[2]) << "the two versions must predict differently";

  std::atomic<bool> done = false;
  constexpr int kClients = 3;
  std::vector<std::vector<Answer>> answers(kClients);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      httplib::Client http = client();  // one keep-alive connection per client thread
      http.set_keep_alive(true);
      for (int i = 0; !done; ++i) {
        Answer answer;
        answer.sent = Clock::now();
        const std::string& body = (c == 0 && i % 4 == 0) ? batch : single;
        const auto result =
            http.Post(kPredictPath.c_str(), bearer(predict_key_), body, "application/json");
        answer.received = Clock::now();
        if (result) {
          answer.status = result->status;
          const json parsed = json::parse(result->body, nullptr, false);
          if (result->status == 200 && parsed.is_object()) {
            answer.header_version = std::atoi(result->get_header_value("X-Model-Version").c_str());
            answer.body_version = parsed["version"];
            answer.first_prediction = parsed["predictions"][0]["topup_amount_next_30d"];
            answer.predictions = parsed["predictions"].size();
          }
        }
        answers[c].push_back(answer);
      }
    });
  }

  AliasTimeline timeline;
  timeline.initial = 1;
  httplib::Client deployer = client();
  for (int cycle = 0; cycle < 20; ++cycle) {
    for (const bool forward : {true, false}) {
      std::this_thread::sleep_for(std::chrono::milliseconds(15));
      AliasTimeline::Move move;
      move.start = Clock::now();
      const auto result =
          forward ? deployer.Post(deploy.c_str(), bearer(deploy_key_), R"({"version": 2})",
                                  "application/json")
                  : deployer.Post(rollback.c_str(), bearer(deploy_key_), "", "application/json");
      move.end = Clock::now();
      ASSERT_TRUE(result);
      ASSERT_EQ(result->status, 200) << result->body;
      const json body = json::parse(result->body);
      move.from = body["from_version"];
      move.to = body["to_version"];
      EXPECT_EQ(move.to, forward ? 2 : 1);
      EXPECT_EQ(body["served_version"], move.to);
      timeline.moves.push_back(move);
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(15));
  done = true;
  for (auto& thread : clients) thread.join();

  std::size_t total = 0, failed = 0, outside = 0, mixed = 0;
  std::map<int, std::size_t> by_version;
  for (const auto& list : answers) {
    for (const Answer& answer : list) {
      ++total;
      if (answer.status != 200) {
        ++failed;
        continue;
      }
      ++by_version[answer.body_version];
      if (answer.header_version != answer.body_version ||
          answer.first_prediction != expected[answer.body_version])
        ++mixed;
      if (!timeline.live_during(answer.sent, answer.received).count(answer.body_version)) ++outside;
    }
  }
  std::printf("%zu requests during %zu alias moves: version 1 answered %zu, version 2 %zu\n", total,
              timeline.moves.size(), by_version[1], by_version[2]);
  EXPECT_EQ(failed, 0u);
  EXPECT_EQ(mixed, 0u) << "answers whose header, body or prediction disagree with their version";
  EXPECT_EQ(outside, 0u) << "answers from a version not live while they were served";
  EXPECT_GT(total, 400u) << "too little load to test anything";
  EXPECT_GT(by_version[1], 50u);
  EXPECT_GT(by_version[2], 50u);
  // The registry agrees: 2 + 40 moves, production back at 1.
  registry::ModelRegistry registry({registry_url_, temp_.file("store")});
  EXPECT_EQ(registry.version("spend", "production").version, 1);
  std::size_t moves = 0;
  for (const auto& entry : registry.history("spend")) moves += entry.alias == "production";
  EXPECT_EQ(moves, 1u + 2u + 40u);
}

}  // namespace
}  // namespace playsight::testing
