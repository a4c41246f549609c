#pragma once
// The service's HTTP server: cpp-httplib's routing, parsing and responses, with playsight's own
// connection handling in place of httplib's. httplib (0.11, Debian's) gives each accepted
// connection a pool thread for as long as it is open, waiting on each read for up to the read
// timeout with no deadline for the whole request, so a few clients sending a byte every few
// seconds hold every thread; it reads chunked bodies and bodies without a length into memory
// whatever the size limit, and inflates gzip bodies without a limit. Here instead:
//
//   - the connection front (connection_front.h) holds every connection while it waits for a
//     request head, with deadlines and a limit on open connections, and answers what must not be
//     read (413 over the body limit before any byte of the body, 411 chunked, 415 compressed);
//   - `threads` workers each take a connection whose head has arrived, serve that one request
//     through httplib's process_request over a ConnectionStream (connection_stream.h: the body
//     bounded by its Content-Length and a deadline) and hand the connection back to the front.
//
// How: httplib's accept loop gives each socket to the TaskQueue that new_task_queue makes; this
// class's queue runs that task at once on the accept thread, and the task calls the overridden
// process_and_close_socket, which only admits the socket to the front. The queue's shutdown (at
// the end of listen) stops the workers and the front. Routes, handlers and the error handler are
// set on this object as on any httplib::Server.
#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "http/connection_front.h"

namespace playsight::http {

class HttpServer : public httplib::Server {
 public:
  struct Events {
    // A request answered before any handler (see ConnectionFront), for the metrics.
    std::function<void(const std::string& method, int status)> refused;
    // A connection closed by a limit: "header_timeout", "body_timeout" or "connection_limit".
    std::function<void(const std::string& reason)> cut;
  };

  HttpServer(ConnectionLimits limits, unsigned threads, Events events);
  ~HttpServer() override;

  // Binds host:port (port 0: any free one) with a listen backlog of 1024 (httplib's is 5, too few
  // for a burst of connections); returns the port, or -1 if it cannot be bound.
  int bind(const std::string& host, int port);
  std::size_t open_connections() const { return front_.open_connections(); }

 private:
  class AdmissionQueue;

  bool process_and_close_socket(socket_t socket) override;
  void start_connections();
  void stop_connections();
  void work();
  void serve(std::unique_ptr<Connection> connection);

  const ConnectionLimits limits_;
  const unsigned threads_;
  const Events events_;
  ConnectionFront front_;

  std::mutex mutex_;  // guards what follows
  std::condition_variable ready_;
  std::deque<std::unique_ptr<Connection>> queue_;  // heads arrived, waiting for a worker
  std::set<int> serving_;                          // sockets of the requests being served
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace playsight::http
