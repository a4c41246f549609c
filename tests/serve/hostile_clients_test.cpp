// Hostile clients against the real `playsight serve` (a child process, so that its memory is its
// own in /proc/PID/status): clients sending 10 MB bodies at once, slow-loris connections sending
// their request a byte a second, and 10,000 requests with wrong API keys. In each, good clients
// send requests all along and every one must be answered; each test prints what it measured.
#include <atomic>
#include <map>
#include <random>
#include <regex>

#include "../support/checks.h"
#include "raw_client.h"
#include "serve_process.h"
#include "serve_test_support.h"

namespace playsight::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

// Requests a good client sent while something else went on, with their answers.
class GoodClient {
 public:
  // Sends `send(client)` again and again from `source` until stop(); records each answer.
  GoodClient(int port, const std::string& source,
             std::function<httplib::Result(httplib::Client&)> send)
      : thread_([this, port, source, send] {
          httplib::Client client("127.0.0.1", port);
          client.set_read_timeout(120);
          client.set_tcp_nodelay(true);
          client.set_interface(source);
          while (!stopping_) {
            const auto start = Clock::now();
            const httplib::Result result = send(client);
            const std::chrono::duration<double, std::milli> took = Clock::now() - start;
            milliseconds_.push_back(took.count());
            if (result && result->status == 200)
              ++answered_;
            else
              failures_.push_back(result ? std::to_string(result->status) + " " + result->body
                                         : httplib::to_string(result.error()));
          }
        }) {}
  ~GoodClient() { stop(); }

  void stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
  }
  // REQUIRES: stop().
  std::size_t sent() const { return milliseconds_.size(); }
  std::size_t answered() const { return answered_; }
  const std::vector<std::string>& failures() const { return failures_; }
  std::string latency() const {
    char text[128];
    std::snprintf(text, sizeof text, "p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                  quantile_ms(milliseconds_, 0.5), quantile_ms(milliseconds_, 0.99),
                  quantile_ms(milliseconds_, 1.0));
    return text;
  }

 private:
  std::atomic<bool> stopping_ = false;
  std::vector<double> milliseconds_;
  std::size_t answered_ = 0;
  std::vector<std::string> failures_;
  std::thread thread_;
};

class ServeHostileClients : public ServeTest {
 protected:
  std::unique_ptr<ServeProcess> serve_process(const std::vector<std::string>& extra) {
    std::vector<std::string> arguments = {"--registry",        registry_url_, "--store",
                                          temp_.file("store"), "--keys",      keys_file(),
                                          "--poll-ms",         "100"};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return std::make_unique<ServeProcess>(arguments, temp_.file("serve.log"));
  }

  std::function<httplib::Result(httplib::Client&)> whoami() const {
    return
        [this](httplib::Client& client) { return client.Get("/v1/whoami", bearer(predict_key_)); };
  }

  void slow_loris(std::size_t slow_count);
};

TEST_F(ServeHostileClients, TenMegabyteBodiesAreRefusedBeforeTheyAreReadAndGoodClientsAnswered) {
  const auto server = serve_process({});
  const int port = server->port();
  const std::string good_body = players_body(read_table_csv(game_->features()), 0, 10);
  const auto predict = [&](httplib::Client& client) {
    return client.Post(kPredictPath.c_str(), bearer(predict_key_), good_body, "application/json");
  };
  {
    httplib::Client warm("127.0.0.1", port);
    for (int i = 0; i < 20; ++i) ASSERT_EQ(predict(warm)->status, 200);
  }
  const long peak_before = server->status_kb("VmHWM");

  constexpr int kSenders = 4, kRounds = 3;
  const std::string ten_megabytes(10 * 1024 * 1024, ' ');
  GoodClient good(port, "127.0.0.1", predict);
  std::vector<std::vector<std::string>> answers(kSenders);
  std::vector<std::thread> senders;
  for (int s = 0; s < kSenders; ++s)
    senders.emplace_back([&, s] {
      httplib::Client client("127.0.0.1", port);
      client.set_read_timeout(120);
      client.set_write_timeout(120);
      for (int round = 0; round < kRounds; ++round) {
        // With a Content-Length: httplib::Client sends all 10 MB, then reads the answer.
        const auto declared = client.Post(kPredictPath.c_str(), bearer(predict_key_), ten_megabytes,
                                          "application/json");
        answers[s].push_back(declared ? std::to_string(declared->status) + " " + declared->body
                                      : httplib::to_string(declared.error()));
        // Chunked: the head and the first megabyte, the answer, then the rest.
        RawConnection chunked(port);
        chunked.send("POST " + kPredictPath + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                     predict_key_ + "\r\nTransfer-Encoding: chunked\r\n\r\n100000\r\n" +
                     ten_megabytes.substr(0, 1 << 20) + "\r\n");
        answers[s].push_back(std::to_string(status_of(chunked.read_response(120s))));
        for (int m = 1;
             m < 10 && chunked.send("100000\r\n" + ten_megabytes.substr(0, 1 << 20) + "\r\n");
             ++m) {
        }
      }
    });
  for (std::thread& sender : senders) sender.join();
  good.stop();
  const long peak_after = server->status_kb("VmHWM");

  const std::string refusal =
      "413 " + json({{"error", "the body is over the limit of 8388608 bytes (split the request)"},
                     {"status", 413}})
                   .dump();
  for (const auto& sent : answers) {
    ASSERT_EQ(sent.size(), 2u * kRounds);
    for (int round = 0; round < kRounds; ++round) {
      EXPECT_EQ(sent[2 * round], refusal);
      EXPECT_EQ(sent[2 * round + 1], "411");
    }
  }
  EXPECT_EQ(good.answered(), good.sent()) << good.failures().front();
  EXPECT_GT(good.answered(), 0u);
  // Refused bodies are never held: the server's peak memory grows by less than one of them
  // (measured, not asserted, under AddressSanitizer: see kAddressSanitizer).
  if (!kAddressSanitizer) {
    EXPECT_LT(peak_after - peak_before, 10 * 1024) << "kB";
  }
  std::printf(
      "10 MB bodies: %d clients at once, %d with Content-Length (all 413) and %d chunked (all "
      "411); server peak RSS %.1f MB before, %.1f MB after (+%ld kB); %zu good predictions "
      "meanwhile, all 200, %s\n",
      kSenders, kSenders * kRounds, kSenders * kRounds, peak_before / 1024.0, peak_after / 1024.0,
      peak_after - peak_before, good.sent(), good.latency().c_str());
}

// K connections send a request one byte a second (each would need minutes to finish) while a good
// client sends requests on fresh connections without pause.
void ServeHostileClients::slow_loris(std::size_t slow_count) {
  constexpr auto kHeaderTimeout = 3s;
  const auto server = serve_process({"--header-timeout", "3"});
  const int port = server->port();
  const std::string request =
      "GET /v1/whoami HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + predict_key_ +
      "\r\nX-Slow: " + std::string(300, 'a') + "\r\n\r\n";
  struct Slow {
    std::unique_ptr<RawConnection> connection;
    Clock::time_point opened, closed;
    std::string answer;
    std::size_t sent = 0;
    bool open = true;
  };
  std::vector<Slow> slow(slow_count);
  for (Slow& s : slow) {
    s.opened = Clock::now();  // before connecting: the server's clock cannot start earlier
    s.connection = std::make_unique<RawConnection>(port);
    s.sent = s.connection->send(request.substr(0, 1)) ? 1 : 0;
  }
  GoodClient good(port, "127.0.0.1", whoami());
  const auto give_up = Clock::now() + 120s;
  auto next_byte = Clock::now() + 1s;
  std::size_t open = slow.size();
  while (open > 0 && Clock::now() < give_up) {
    std::vector<pollfd> watched;
    for (const Slow& s : slow)
      if (s.open) watched.push_back({s.connection->fd(), POLLIN, 0});
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(next_byte - Clock::now());
    ::poll(watched.data(), watched.size(), static_cast<int>(std::max<long long>(0, wait.count())));
    for (Slow& s : slow) {  // what the server sent, or its closing
      if (!s.open) continue;
      if (!s.connection->read_available(s.answer, 0ms)) {
        s.open = false;
        s.closed = Clock::now();
        --open;
      }
    }
    if (Clock::now() < next_byte) continue;
    next_byte += 1s;
    for (Slow& s : slow)  // the attack's pace: one more byte a second
      if (s.open && s.sent < request.size() && s.connection->send(request.substr(s.sent, 1)))
        ++s.sent;
  }
  good.stop();

  double first_close = 1e9, last_close = 0;
  for (const Slow& s : slow) {
    ASSERT_FALSE(s.open) << "a slow connection was still open after 120 s";
    EXPECT_EQ(status_of(s.answer), 408) << s.answer;
    const std::chrono::duration<double> lasted = s.closed - s.opened;
    EXPECT_GE(lasted, kHeaderTimeout) << "closed before its deadline";
    first_close = std::min(first_close, lasted.count());
    last_close = std::max(last_close, lasted.count());
  }
  EXPECT_EQ(good.answered(), good.sent()) << good.failures().front();
  EXPECT_GT(good.answered(), 0u);
  std::printf(
      "slow-loris: %zu slow connection(s) (1 byte/s, 16 workers), all answered 408 and closed "
      "%.2f to %.2f s after opening (--header-timeout 3); %zu good requests on fresh "
      "connections meanwhile, all 200, %s\n",
      slow.size(), first_close, last_close, good.sent(), good.latency().c_str());
}

TEST_F(ServeHostileClients, OneSlowLorisConnectionIsClosedAtItsDeadlineAndGoodClientsAnswered) {
  slow_loris(1);
}

TEST_F(ServeHostileClients, SlowLorisConnectionsTwiceTheWorkersAreClosedAndGoodClientsAnswered) {
  slow_loris(32);
}

TEST_F(ServeHostileClients, TenThousandWrongKeysAreRateLimitedLoggedBrieflyAndGoodKeysServed) {
  const auto server = serve_process({});  // 20 failures per address and 60 s window
  const int port = server->port();
  {
    httplib::Client warm("127.0.0.1", port);
    for (int i = 0; i < 20; ++i)
      ASSERT_EQ(warm.Get("/v1/whoami", bearer(predict_key_))->status, 200);
  }
  const long resident_before = server->status_kb("VmRSS"), peak_before = server->status_kb("VmHWM");
  const auto started = Clock::now();

  // Two flooders from each of two addresses; a good client on each address too.
  constexpr int kFlooders = 4, kPerFlooder = 2500;
  const std::vector<std::string> sources = {"127.0.0.1", "127.0.0.2"};
  GoodClient good_one(port, sources[0], whoami()), good_two(port, sources[1], whoami());
  std::vector<std::map<int, int>> statuses(kFlooders);
  std::vector<std::string> odd(kFlooders);
  std::vector<std::thread> flooders;
  for (int f = 0; f < kFlooders; ++f)
    flooders.emplace_back([&, f] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      client.set_read_timeout(120);
      client.set_interface(sources[f % 2]);
      std::mt19937_64 random(f);
      for (int i = 0; i < kPerFlooder; ++i) {
        char key[64];
        std::snprintf(
            key, sizeof key, "psk_%016llx%016llx%016llx", static_cast<unsigned long long>(random()),
            static_cast<unsigned long long>(random()), static_cast<unsigned long long>(random()));
        const auto reply = client.Get("/v1/whoami", bearer(key));
        const int status = reply ? reply->status : 0;
        ++statuses[f][status];
        if (status == 429 &&
            (reply->get_header_value("Retry-After").empty() ||
             json::parse(reply->body)["error"].get<std::string>().find(
                 "too many requests without a valid API key from " + sources[f % 2]) != 0))
          odd[f] = reply->body;
      }
    });
  for (std::thread& flooder : flooders) flooder.join();
  good_one.stop();
  good_two.stop();
  const std::chrono::duration<double> elapsed = Clock::now() - started;
  const long resident_after = server->status_kb("VmRSS"), peak_after = server->status_kb("VmHWM");
  const std::string metrics = httplib::Client("127.0.0.1", port).Get("/metrics")->body;
  ASSERT_TRUE(server->stop());

  std::map<int, int> total;
  for (const auto& counts : statuses)
    for (const auto& [status, count] : counts) total[status] += count;
  EXPECT_EQ(total[401] + total[429], kFlooders * kPerFlooder);
  const int windows = 1 + static_cast<int>(elapsed.count() / 60);  // per address
  EXPECT_LE(total[401], 20 * windows * 2);
  EXPECT_GT(total[429], 0);
  for (const std::string& body : odd) EXPECT_EQ(body, "") << "a 429 without Retry-After or message";
  EXPECT_NE(metrics.find("playsight_http_key_refusals_total{reason=\"rate_limited\"} " +
                         std::to_string(total[429]) + "\n"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("playsight_http_key_refusals_total{reason=\"unknown_key\"} " +
                         std::to_string(total[401]) + "\n"),
            std::string::npos);
  for (const GoodClient* good : {&good_one, &good_two}) {
    EXPECT_EQ(good->answered(), good->sent()) << good->failures().front();
    EXPECT_GT(good->answered(), 0u);
  }

  // The log: a few lines per address and window, whose counts add up to every refusal.
  const std::string log = server->log();
  static const std::regex summary(R"((\S+): (\d+) requests without a valid API key in the)");
  std::map<std::string, int> lines, counted;
  std::istringstream text(log);
  for (std::string line; std::getline(text, line);) {
    if (line.find("without a valid API key") == std::string::npos) continue;
    for (const std::string& source : sources)
      if (line.find(" " + source + ": ") != std::string::npos) ++lines[source];
    if (std::smatch match; std::regex_search(line, match, summary))
      counted[match[1]] += std::stoi(match[2]);
  }
  for (const std::string& source : sources) {
    EXPECT_EQ(counted[source], kFlooders / 2 * kPerFlooder) << log;
    EXPECT_LE(lines[source], 2 * windows) << log;
  }
  // Memory: the limiter keeps one entry per address; nothing grows with the number of requests
  // (measured, not asserted, under AddressSanitizer).
  if (!kAddressSanitizer) {
    EXPECT_LT(peak_after - peak_before, 10 * 1024) << "kB";
  }
  std::printf(
      "wrong keys: %d requests from 2 addresses over %d connections in %.1f s: %d answered 401, "
      "%d answered 429 with Retry-After; %zu + %zu good requests from the same addresses "
      "meanwhile, all 200 (%s); log: %d + %d lines; server RSS %+ld kB (peak %+ld kB)\n",
      kFlooders * kPerFlooder, kFlooders, elapsed.count(), total[401], total[429], good_one.sent(),
      good_two.sent(), good_one.latency().c_str(), lines[sources[0]], lines[sources[1]],
      resident_after - resident_before, peak_after - peak_before);
}

}  // namespace
}  // namespace playsight::testing
