#include "http/connection_front.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <tuple>

#include "core/error.h"
#include "http/http_error.h"

namespace playsight::http {
namespace {

constexpr std::size_t kReadChunk = 16 * 1024;
// What one pass reads from a draining connection before turning to the others.
constexpr std::size_t kDrainPerPass = 256 * 1024;

}  // namespace

ConnectionFront::ConnectionFront(ConnectionLimits limits, FrontEvents events)
    : limits_(limits), events_(std::move(events)) {
  epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
  wakeup_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_ < 0 || wakeup_ < 0) throw Error("cannot create the HTTP connection front (epoll)");
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = nullptr;  // the wakeup
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, wakeup_, &event);
}

ConnectionFront::~ConnectionFront() {
  stop();
  ::close(wakeup_);
  ::close(epoll_);
}

void ConnectionFront::start() {
  thread_ = std::thread([this] { loop(); });
}

void ConnectionFront::admit(int socket) {
  auto connection = std::make_unique<Connection>(socket, open_);
  {
    const std::lock_guard lock(mutex_);
    if (stopping_) return;
    incoming_.push_back({std::move(connection), Handover::accepted});
    ++not_yet_taken_;
  }
  wake();
}

void ConnectionFront::resume(std::unique_ptr<Connection> connection) {
  {
    const std::lock_guard lock(mutex_);
    if (stopping_) return;
    incoming_.push_back({std::move(connection), Handover::resumed});
  }
  wake();
}

void ConnectionFront::linger(std::unique_ptr<Connection> connection) {
  {
    const std::lock_guard lock(mutex_);
    if (stopping_) return;
    incoming_.push_back({std::move(connection), Handover::refused});
  }
  wake();
}

void ConnectionFront::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake();
  if (thread_.joinable()) thread_.join();
  const std::lock_guard lock(mutex_);
  incoming_.clear();
}

void ConnectionFront::wake() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = ::write(wakeup_, &one, sizeof one);
}

void ConnectionFront::loop() {
  std::array<epoll_event, 64> events{};
  for (;;) {
    int timeout_ms = 1000;
    if (!deadlines_.empty()) {
      const auto until = deadlines_.begin()->first - Clock::now();
      const long long ms = std::chrono::ceil<std::chrono::milliseconds>(until).count();
      timeout_ms = static_cast<int>(std::clamp(ms, 0LL, 1000LL));
    }
    const int count = ::epoll_wait(epoll_, events.data(), events.size(), timeout_ms);
    {
      const std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    const Clock::time_point now = Clock::now();
    for (int i = 0; i < count; ++i) {
      auto* connection = static_cast<Connection*>(events[i].data.ptr);
      if (connection == nullptr) {
        std::uint64_t ignored = 0;
        [[maybe_unused]] const ssize_t got = ::read(wakeup_, &ignored, sizeof ignored);
        take_incoming();
      } else if (held_.count(connection) != 0) {
        on_readable(*connection, now);
      }
    }
    expire(Clock::now());
    closed_.clear();
  }
  held_.clear();
  deadlines_.clear();
  closed_.clear();
}

void ConnectionFront::take_incoming() {
  std::vector<Incoming> taken;
  {
    const std::lock_guard lock(mutex_);
    taken.swap(incoming_);
  }
  const Clock::time_point now = Clock::now();
  for (Incoming& incoming : taken) take(std::move(incoming.connection), incoming.handover, now);
}

void ConnectionFront::take(std::unique_ptr<Connection> owned, Handover handover,
                           Clock::time_point now) {
  Connection& connection = *owned;
  hold(std::move(owned));
  connection.waiting_since = now;
  if (handover == Handover::refused) {
    start_draining(connection, now);
    return;
  }
  if (handover == Handover::accepted) {
    --not_yet_taken_;
    connection.number = ++accepted_;
    set_deadline(connection, now + limits_.header_timeout);
    if (!make_room(connection)) {
      events_.cut("connection_limit");
      send_refusal(connection.socket, 503,
                   error_body(503, "the service has " + std::to_string(limits_.max_connections) +
                                       " connections open, its limit (--max-connections); "
                                       "retry later"));
      close(connection);
    }
    return;
  }
  // Resumed: the client may have sent its next request already (pipelining).
  set_deadline(connection, now + (connection.received.empty() ? limits_.keep_alive_timeout
                                                              : limits_.header_timeout));
  if (!connection.received.empty()) examine(connection, now);
}

// Closes held connections, the one that has waited longest for its request first (draining and
// idle ones before those midway through a head), until `newcomer` fits; false if it cannot.
bool ConnectionFront::make_room(const Connection& newcomer) {
  // Connections accepted after the newcomer wait their turn (not open yet, here); those closed in
  // this pass are destroyed at its end (no longer open, here).
  while (open_ - not_yet_taken_ - closed_.size() > limits_.max_connections) {
    Connection* victim = nullptr;
    auto rank = [](const Connection& c) {
      const int kind = c.draining ? 0 : (c.received.empty() && c.requests > 0 ? 1 : 2);
      return std::make_tuple(kind, c.waiting_since, c.number);
    };
    for (const auto& [pointer, owned] : held_)
      if (pointer != &newcomer && (victim == nullptr || rank(*pointer) < rank(*victim)))
        victim = pointer;
    if (victim == nullptr) return false;
    if (!victim->draining) events_.cut("connection_limit");
    close(*victim);
  }
  return true;
}

void ConnectionFront::on_readable(Connection& connection, Clock::time_point now) {
  std::array<char, kReadChunk> buffer{};
  if (connection.draining) {
    for (std::size_t drained = 0; drained < kDrainPerPass;) {
      const ssize_t got = ::recv(connection.socket, buffer.data(), buffer.size(), 0);
      if (got > 0) {
        drained += static_cast<std::size_t>(got);
        continue;
      }
      if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
        close(connection);
      return;
    }
    return;
  }
  const bool was_waiting = connection.received.empty();
  while (connection.received.size() <= limits_.max_header_bytes) {
    const ssize_t got = ::recv(connection.socket, buffer.data(), buffer.size(), 0);
    if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      close(connection);  // the client went away
      return;
    }
    if (got < 0) break;
    connection.received.append(buffer.data(), static_cast<std::size_t>(got));
    if (request_head_length(connection.received)) break;
  }
  if (was_waiting && !connection.received.empty() && connection.requests > 0)
    set_deadline(connection, now + limits_.header_timeout);  // a kept-alive one starts a request
  examine(connection, now);
}

void ConnectionFront::examine(Connection& connection, Clock::time_point now) {
  const std::optional<std::size_t> length = request_head_length(connection.received);
  if (length ? *length > limits_.max_header_bytes
             : connection.received.size() > limits_.max_header_bytes) {
    refuse(connection, 431,
           "the request line and headers are over the limit of " +
               std::to_string(limits_.max_header_bytes) + " bytes",
           now);
    return;
  }
  if (!length) return;
  connection.head_length = *length;
  connection.head = parse_request_head(std::string_view(connection.received).substr(0, *length));
  const RequestHead& head = connection.head;
  if (head.transfer_encoding) {
    refuse(connection, 411,
           "a request body needs a Content-Length header (Transfer-Encoding, such as a chunked "
           "body, is not accepted)",
           now);
  } else if (head.content_length_invalid) {
    refuse(connection, 400,
           "the Content-Length is not a number, or is given twice with "
           "different values",
           now);
  } else if (head.content_length > limits_.max_body_bytes) {
    refuse(connection, 413,
           "the body is over the limit of " + std::to_string(limits_.max_body_bytes) +
               " bytes (split the request)",
           now);
  } else if (!head.content_encoding.empty() && head.content_encoding != "identity") {
    refuse(connection, 415,
           "a compressed body (Content-Encoding: " + quote_for_message(head.content_encoding) +
               ") is not accepted: send it uncompressed",
           now);
  } else {
    events_.ready(release(connection));
  }
}

void ConnectionFront::refuse(Connection& connection, int status, const std::string& message,
                             Clock::time_point now) {
  send_refusal(connection.socket, status, error_body(status, message));
  events_.refused(parse_request_head(connection.received).method, status);
  start_draining(connection, now);
}

void ConnectionFront::start_draining(Connection& connection, Clock::time_point now) {
  ::shutdown(connection.socket, SHUT_WR);
  connection.draining = true;
  connection.received.clear();
  connection.waiting_since = now;
  set_deadline(connection, now + limits_.linger);
}

void ConnectionFront::expire(Clock::time_point now) {
  while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
    Connection& connection = *deadlines_.begin()->second;
    if (connection.draining || (connection.received.empty() && connection.requests > 0)) {
      close(connection);  // done lingering, or idle between requests
    } else if (connection.received.empty()) {
      events_.cut("header_timeout");  // opened, and not one byte sent
      close(connection);
    } else {
      events_.cut("header_timeout");
      refuse(connection, 408,
             "the request line and headers did not arrive within " +
                 seconds_text(limits_.header_timeout) + " s",
             now);
    }
  }
}

void ConnectionFront::hold(std::unique_ptr<Connection> connection) {
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = connection.get();
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, connection->socket, &event);
  Connection* key = connection.get();
  held_.emplace(key, std::move(connection));
}

std::unique_ptr<Connection> ConnectionFront::release(Connection& connection) {
  ::epoll_ctl(epoll_, EPOLL_CTL_DEL, connection.socket, nullptr);
  deadlines_.erase({connection.deadline, &connection});
  auto found = held_.find(&connection);
  std::unique_ptr<Connection> out = std::move(found->second);
  held_.erase(found);
  return out;
}

void ConnectionFront::close(Connection& connection) {
  closed_.push_back(release(connection));
}

void ConnectionFront::set_deadline(Connection& connection, Clock::time_point deadline) {
  deadlines_.erase({connection.deadline, &connection});
  connection.deadline = deadline;
  deadlines_.emplace(deadline, &connection);
}

}  // namespace playsight::http
