// The connection front's answers, one behaviour at a time, on the in-process service: bodies that
// must not be read (413 before a byte of the body is sent, 411 chunked, 415 gzip, 400 a bad
// length), heads that never end or are too large, bodies that stop, the limit on open
// connections, keep-alive and pipelining (http/connection_front.h, http/http_server.h).
#include "raw_client.h"
#include "serve_test_support.h"

namespace playsight::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class ServeConnectionLimits : public ServeTest {
 protected:
  // What the server answers to `request` sent whole on a new connection.
  std::string exchange(const std::string& request) {
    RawConnection connection(port_);
    connection.send(request);
    return connection.read_response(60s);
  }
  std::string metrics() { return client().Get("/metrics")->body; }
};

TEST_F(ServeConnectionLimits, ADeclaredBodyOverTheLimitGets413BeforeAByteOfItIsSent) {
  start();
  RawConnection connection(port_);
  connection.send("POST " + kPredictPath + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                  predict_key_ + "\r\nContent-Length: 10485760\r\n\r\n");
  const std::string response = connection.read_response(60s);
  EXPECT_EQ(status_of(response), 413) << response;
  EXPECT_EQ(json::parse(body_of(response)),
            json({{"error", "the body is over the limit of 8388608 bytes (split the request)"},
                  {"status", 413}}));
  EXPECT_NE(response.find("Connection: close"), std::string::npos);
  EXPECT_EQ(connection.read_until_closed(60s), "") << "the server closes after the refusal";
  EXPECT_NE(
      metrics().find(
          "playsight_http_requests_total{route=\"unmatched\",method=\"POST\",code=\"413\"} 1"),
      std::string::npos);
}

TEST_F(ServeConnectionLimits, ChunkedCompressedAndBadlyFramedBodiesAreRefused) {
  start();
  const std::string head = "POST " + kPredictPath + " HTTP/1.1\r\nHost: x\r\n";
  const std::string chunked = exchange(head + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
  EXPECT_EQ(status_of(chunked), 411) << chunked;
  EXPECT_EQ(json::parse(body_of(chunked))["error"],
            "a request body needs a Content-Length header (Transfer-Encoding, such as a chunked "
            "body, is not accepted)");
  const std::string gzip =
      exchange(head + "Content-Encoding: gzip\r\nContent-Length: 4\r\n\r\nabcd");
  EXPECT_EQ(status_of(gzip), 415) << gzip;
  EXPECT_EQ(json::parse(body_of(gzip))["error"],
            "a compressed body (Content-Encoding: 'gzip') is not accepted: send it uncompressed");
  const std::string twice = exchange(head + "Content-Length: 4\r\nContent-Length: 5\r\n\r\nabcde");
  EXPECT_EQ(status_of(twice), 400) << twice;
}

TEST_F(ServeConnectionLimits, APostWithoutContentLengthHasNoBody) {
  start();
  // RFC 9112 6.3: neither Content-Length nor Transfer-Encoding means no body; httplib alone would
  // read until the client closes.
  const std::string response =
      exchange("POST " + kPredictPath + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
               predict_key_ + "\r\n\r\n");
  EXPECT_EQ(status_of(response), 400) << response;
  EXPECT_NE(body_of(response).find("not valid JSON"), std::string::npos) << response;
}

TEST_F(ServeConnectionLimits, AHeadOverTheLimitGets431) {
  start();
  RawConnection connection(port_);
  connection.send("GET /healthz HTTP/1.1\r\n");
  for (int i = 0; i < 100 && connection.send("X-Filler: " + std::string(1000, 'a') + "\r\n"); ++i) {
  }
  const std::string response = connection.read_response(60s);
  EXPECT_EQ(status_of(response), 431) << response;
  EXPECT_EQ(json::parse(body_of(response))["error"],
            "the request line and headers are over the limit of 65536 bytes");
  std::string whole = "GET /healthz HTTP/1.1\r\n";  // complete, and over the limit, at once
  for (int i = 0; i < 70; ++i) whole += "X-Filler: " + std::string(1000, 'a') + "\r\n";
  EXPECT_EQ(status_of(exchange(whole + "\r\n")), 431);
}

TEST_F(ServeConnectionLimits, PipelinedAndKeptAliveRequestsAreAllAnswered) {
  start();
  RawConnection connection(port_);
  connection.send(
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/whoami HTTP/1.1\r\nHost: x\r\n"
      "Authorization: Bearer " +
      predict_key_ + "\r\n\r\n");
  std::string both;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (both.find("\"role\"") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline && connection.read_available(both, 60s)) {
  }
  const std::size_t second = both.find("HTTP/1.1 ", 1);
  ASSERT_NE(second, std::string::npos) << both;
  EXPECT_EQ(status_of(both), 200) << both;
  EXPECT_EQ(json::parse(body_of(both.substr(0, second))), json({{"status", "ok"}}));
  EXPECT_EQ(status_of(both.substr(second)), 200) << both;
  EXPECT_EQ(json::parse(body_of(both.substr(second)))["name"], "reader");

  httplib::Client kept = client();
  kept.set_keep_alive(true);
  int answered = 0;
  for (int i = 0; i < 200; ++i)
    if (auto reply = kept.Get("/v1/whoami", bearer(predict_key_)); reply && reply->status == 200)
      ++answered;
  EXPECT_EQ(answered, 200);
}

TEST_F(ServeConnectionLimits, AHeadThatDoesNotArriveInTimeGets408AndTheConnectionIsClosed) {
  serve::ServiceOptions options = default_options();
  options.header_timeout = 1s;
  start(options);
  RawConnection started(port_), silent(port_);
  started.send("GET /healthz HTTP/1.1\r\nHost:");
  const std::string response = started.read_response(60s);
  EXPECT_EQ(status_of(response), 408) << response;
  EXPECT_EQ(json::parse(body_of(response))["error"],
            "the request line and headers did not arrive within 1 s");
  EXPECT_EQ(started.read_until_closed(60s), "");
  EXPECT_EQ(silent.read_until_closed(60s), "") << "a connection that sent nothing: no answer";
  EXPECT_NE(metrics().find("playsight_http_connections_closed_total{reason=\"header_timeout\"} 2"),
            std::string::npos)
      << metrics();
}

TEST_F(ServeConnectionLimits, ABodyThatStopsGets408AfterTheBodyTimeout) {
  serve::ServiceOptions options = default_options();
  options.body_timeout = 1s;
  start(options);
  RawConnection connection(port_);
  connection.send("POST " + kPredictPath + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                  predict_key_ + "\r\nContent-Length: 100\r\n\r\n{\"players\"");
  const std::string response = connection.read_response(60s);
  EXPECT_EQ(status_of(response), 408) << response;
  EXPECT_EQ(json::parse(body_of(response))["error"], "the body did not arrive within 1 s");
  EXPECT_EQ(connection.read_until_closed(60s), "");
  EXPECT_NE(metrics().find("playsight_http_connections_closed_total{reason=\"body_timeout\"} 1"),
            std::string::npos);
}

TEST_F(ServeConnectionLimits, AtTheConnectionLimitTheOneWaitingLongestIsClosed) {
  serve::ServiceOptions options = default_options();
  options.max_connections = 8;
  start(options);
  std::vector<std::unique_ptr<RawConnection>> waiting;
  for (int i = 0; i < 8; ++i) {
    waiting.push_back(std::make_unique<RawConnection>(port_));
    waiting.back()->send("GET /healthz HTTP/1.1\r\n");
  }
  // A ninth connection (the client's) closes the first, which has waited longest.
  auto reply = client().Get("/v1/whoami", bearer(predict_key_));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(waiting[0]->read_until_closed(60s), "");
  std::string nothing;
  EXPECT_TRUE(waiting[7]->read_available(nothing, 100ms)) << "the newest is still open";
  EXPECT_NE(metrics().find("playsight_http_connections_closed_total{reason=\"connection_limit\"}"),
            std::string::npos);
}

}  // namespace
}  // namespace playsight::testing
