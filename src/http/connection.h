#pragma once
// One client connection of the service and the limits that apply to it. A connection passes
// between the connection front (connection_front.h: one thread that waits for every connection's
// next request head, and reads and discards what refused clients still send) and the workers
// (http_server.h: each serves one request whose head has arrived, then hands the connection
// back). Whoever holds the unique_ptr<Connection> owns it; destroying it closes the socket.
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "http/request_head.h"

namespace playsight::http {

using Clock = std::chrono::steady_clock;

struct ConnectionLimits {
  // A request's line and headers must have arrived this long after its first byte (after the
  // connection was opened, for its first request); else 408 and the connection is closed.
  std::chrono::milliseconds header_timeout{10000};
  // Its body must have arrived this long after its head; else 408 and the connection is closed.
  std::chrono::milliseconds body_timeout{30000};
  // An idle connection between requests is closed after this.
  std::chrono::milliseconds keep_alive_timeout{10000};
  // The client must have taken a response in full this long after its first byte was sent.
  std::chrono::milliseconds write_timeout{10000};
  // After a refusal, how long what the client still sends is read and discarded, so that it can
  // read the refusal instead of a reset connection.
  std::chrono::milliseconds linger{5000};
  // Connections open at once; at the limit, opening one more closes the connection that has
  // waited longest for its request (or, if every one is being served, the new one).
  std::size_t max_connections = 512;
  std::size_t max_header_bytes = 64 * 1024;      // a head larger than this gets 431
  std::size_t max_body_bytes = 8 * 1024 * 1024;  // a Content-Length larger than this gets 413
};

struct Connection {
  // Takes the socket (made non-blocking) and counts itself in `open` until destroyed.
  Connection(int socket, std::atomic<std::size_t>& open);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const int socket;
  std::string address;  // the client's IP address, numeric
  int port = 0;
  std::string received;             // bytes read from the socket and not yet taken by a request
  std::size_t head_length = 0;      // of the request at the start of `received`, once complete
  RequestHead head;                 // that request's, once complete
  std::uint64_t requests = 0;       // requests served on it so far
  std::uint64_t number = 0;         // in the order the front accepted connections
  Clock::time_point waiting_since;  // when the front last took it
  Clock::time_point deadline;       // when the front closes it if nothing else happened
  bool draining = false;            // refused: what arrives is discarded until EOF or deadline

 private:
  std::atomic<std::size_t>& open_;
};

// A socket address as text (numeric IP) and port; "" and 0 for other families.
void address_text(const sockaddr_storage& address, std::string& ip, int& port);
// A duration for messages: "10", "2.5".
std::string seconds_text(std::chrono::milliseconds duration);

// Writes a whole small response (status line, JSON body, Connection: close) without blocking;
// false if the socket did not take it all at once.
bool send_refusal(int socket, int status, const std::string& json_body);

}  // namespace playsight::http
