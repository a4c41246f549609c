#pragma once
// The httplib::Stream a worker serves one request through (http_server.h). Reads come first from
// the bytes the front already received (the head, perhaps part of the body), then from the
// socket, and end at the request's declared end: the head plus its Content-Length (a request
// without one has no body), so that the bytes of a pipelined next request stay for it. The body
// must arrive within limits.body_timeout of the request being handed over; past that the stream
// answers 408 itself and the connection is done. A response must be taken by the client within
// limits.write_timeout of its first byte. Used by one thread.
#include <httplib.h>

#include <cstdint>
#include <optional>
#include <string>

#include "http/connection.h"

namespace playsight::http {

class ConnectionStream : public httplib::Stream {
 public:
  ConnectionStream(Connection& connection, const ConnectionLimits& limits);

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* data, size_t size) override;
  ssize_t write(const char* data, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override;

  // Whether the request was read to its declared end.
  bool request_read() const { return consumed_ == request_end_; }
  // Whether the body did not arrive in time (the stream has answered 408).
  bool timed_out() const { return timed_out_; }
  // Drops the request's bytes from connection.received, leaving those of the next one.
  void release_request();

 private:
  bool wait_until(short events, Clock::time_point deadline) const;

  Connection& connection_;
  const ConnectionLimits& limits_;
  const std::uint64_t request_end_;
  const Clock::time_point read_deadline_;
  std::optional<Clock::time_point> write_deadline_;
  std::uint64_t consumed_ = 0;         // bytes of the request read so far
  std::size_t taken_from_buffer_ = 0;  // of them, from connection.received
  bool timed_out_ = false;
};

}  // namespace playsight::http
