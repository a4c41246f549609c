#pragma once
// The connection front: one thread (epoll) that holds every connection while it waits for the
// head of its next request, so that no worker thread ever waits on a client. A client that sends
// its request one byte a second (slow-loris) costs a socket and the bytes it sent, never a
// worker; the front closes it when limits.header_timeout has passed (408 if it had started a
// request). Once a head has arrived whole, the front checks what the body will be and either
// hands the connection to events.ready (a worker serves the request) or answers itself:
//
//   411  Transfer-Encoding (a chunked body has no length the limit could be checked against)
//   400  a Content-Length that is not a number, or two different ones
//   413  a Content-Length over limits.max_body_bytes: answered before a byte of the body is read
//   415  a Content-Encoding other than identity (a small gzip body can inflate a thousandfold)
//   431  a head over limits.max_header_bytes
//
// After such an answer it closes its sending side and reads and discards what the client still
// sends, for up to limits.linger, so that the client reads the answer rather than a reset.
// Connections open at once (with the front or a worker) are at most limits.max_connections: one
// more closes the connection that has waited longest for its request, or, when every connection
// is being served, is answered 503 itself.
//
// Thread-safe: admit, resume and linger may be called from any thread; events are called from
// the front's thread. A connection handed to the front after stop() is closed.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "http/connection.h"

namespace playsight::http {

struct FrontEvents {
  // A connection whose request head has arrived and may be served; the callee owns it now.
  std::function<void(std::unique_ptr<Connection>)> ready;
  // A request the front answered itself (its method, or "other"), e.g. for the metrics.
  std::function<void(const std::string& method, int status)> refused;
  // A connection closed by a limit: "header_timeout" or "connection_limit".
  std::function<void(const std::string& reason)> cut;
};

class ConnectionFront {
 public:
  ConnectionFront(ConnectionLimits limits, FrontEvents events);
  ~ConnectionFront();
  ConnectionFront(const ConnectionFront&) = delete;
  ConnectionFront& operator=(const ConnectionFront&) = delete;

  void start();
  // A socket just accepted; the front owns it now.
  void admit(int socket);
  // A connection whose request has been answered: wait for its next one (keep-alive).
  void resume(std::unique_ptr<Connection> connection);
  // A connection answered before its request was read in full: close its sending side, discard
  // what arrives until the client closes or limits.linger has passed, then close it.
  void linger(std::unique_ptr<Connection> connection);
  // Closes every connection it holds and stops its thread. Idempotent.
  void stop();

  // Connections open now, including those with workers.
  std::size_t open_connections() const { return open_; }

 private:
  enum class Handover { accepted, resumed, refused };
  struct Incoming {
    std::unique_ptr<Connection> connection;
    Handover handover;
  };

  void loop();
  void take_incoming();
  void take(std::unique_ptr<Connection> connection, Handover handover, Clock::time_point now);
  void on_readable(Connection& connection, Clock::time_point now);
  void examine(Connection& connection, Clock::time_point now);
  void refuse(Connection& connection, int status, const std::string& message,
              Clock::time_point now);
  void start_draining(Connection& connection, Clock::time_point now);
  void expire(Clock::time_point now);
  bool make_room(const Connection& newcomer);
  void hold(std::unique_ptr<Connection> connection);
  std::unique_ptr<Connection> release(Connection& connection);
  void close(Connection& connection);
  void set_deadline(Connection& connection, Clock::time_point deadline);
  void wake();

  const ConnectionLimits limits_;
  const FrontEvents events_;
  std::atomic<std::size_t> open_ = 0;
  std::atomic<std::size_t> not_yet_taken_ = 0;  // accepted, still in incoming_
  int epoll_ = -1;
  int wakeup_ = -1;  // eventfd
  std::thread thread_;

  std::mutex mutex_;  // guards incoming_ and stopping_
  std::vector<Incoming> incoming_;
  bool stopping_ = false;

  // The front thread's own: the connections it holds, by deadline, and those closed in the
  // current pass (destroyed after it, so that an event of the same pass cannot reach freed memory)
  std::unordered_map<Connection*, std::unique_ptr<Connection>> held_;
  std::set<std::pair<Clock::time_point, Connection*>> deadlines_;
  std::vector<std::unique_ptr<Connection>> closed_;
  std::uint64_t accepted_ = 0;
};

}  // namespace playsight::http
