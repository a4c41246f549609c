#include "http/connection_stream.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "http/http_error.h"

namespace playsight::http {

ConnectionStream::ConnectionStream(Connection& connection, const ConnectionLimits& limits)
    : connection_(connection),
      limits_(limits),
      request_end_(connection.head_length + connection.head.content_length),
      read_deadline_(Clock::now() + limits.body_timeout) {}

bool ConnectionStream::wait_until(short events, Clock::time_point deadline) const {
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd watched{connection_.socket, events, 0};
    const int ready =
        ::poll(&watched, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready > 0) return true;
    if (ready < 0 && errno != EINTR) return false;
  }
}

bool ConnectionStream::is_readable() const {
  return taken_from_buffer_ < connection_.received.size() || wait_until(POLLIN, read_deadline_);
}

bool ConnectionStream::is_writable() const {
  return wait_until(POLLOUT, write_deadline_.value_or(Clock::now() + limits_.write_timeout));
}

ssize_t ConnectionStream::read(char* data, size_t size) {
  if (timed_out_) return -1;
  const std::uint64_t left = request_end_ - consumed_;
  if (left == 0) return 0;  // the request's declared end
  size = static_cast<size_t>(std::min<std::uint64_t>(size, left));
  if (taken_from_buffer_ < connection_.received.size()) {
    const std::size_t count = std::min(size, connection_.received.size() - taken_from_buffer_);
    std::memcpy(data, connection_.received.data() + taken_from_buffer_, count);
    taken_from_buffer_ += count;
    consumed_ += count;
    return static_cast<ssize_t>(count);
  }
  for (;;) {
    if (!wait_until(POLLIN, read_deadline_)) {
      if (Clock::now() >= read_deadline_) {
        timed_out_ = true;
        send_refusal(connection_.socket, 408,
                     error_body(408, "the body did not arrive within " +
                                         seconds_text(limits_.body_timeout) + " s"));
      }
      return -1;
    }
    const ssize_t got = ::recv(connection_.socket, data, size, 0);
    if (got > 0) consumed_ += static_cast<std::uint64_t>(got);
    if (got >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return got;
  }
}

ssize_t ConnectionStream::write(const char* data, size_t size) {
  if (timed_out_) return -1;
  if (!write_deadline_) write_deadline_ = Clock::now() + limits_.write_timeout;
  for (;;) {
    if (!wait_until(POLLOUT, *write_deadline_)) return -1;
    const ssize_t sent = ::send(connection_.socket, data, size, MSG_NOSIGNAL);
    if (sent >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return sent;
  }
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  ip = connection_.address;
  port = connection_.port;
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage local{};
  socklen_t length = sizeof local;
  if (::getsockname(connection_.socket, reinterpret_cast<sockaddr*>(&local), &length) == 0)
    address_text(local, ip, port);
}

socket_t ConnectionStream::socket() const {
  return connection_.socket;
}

void ConnectionStream::release_request() {
  connection_.received.erase(0, taken_from_buffer_);
  connection_.head_length = 0;
  connection_.head = {};
}

}  // namespace playsight::http
