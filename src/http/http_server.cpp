#include "http/http_server.h"

#include <sys/socket.h>

#include <algorithm>

#include "http/connection_stream.h"

namespace playsight::http {

// The TaskQueue httplib's accept loop hands each accepted socket to: runs the task (which calls
// process_and_close_socket) at once, and stops the connections when listening ends.
class HttpServer::AdmissionQueue : public httplib::TaskQueue {
 public:
  explicit AdmissionQueue(HttpServer& server) : server_(server) {}
  void enqueue(std::function<void()> task) override { task(); }
  void shutdown() override { server_.stop_connections(); }

 private:
  HttpServer& server_;
};

HttpServer::HttpServer(ConnectionLimits limits, unsigned threads, Events events)
    : limits_(limits),
      threads_(std::max(1u, threads)),
      events_(std::move(events)),
      front_(limits, {[this](std::unique_ptr<Connection> connection) {
                        {
                          const std::lock_guard lock(mutex_);
                          queue_.push_back(std::move(connection));
                        }
                        ready_.notify_one();
                      },
                      events_.refused, events_.cut}) {
  new_task_queue = [this] {
    start_connections();
    return new AdmissionQueue(*this);
  };
  set_payload_max_length(limits.max_body_bytes);
  // Only the Keep-Alive header's "timeout=" comes from this; the front enforces it.
  set_keep_alive_timeout(
      std::chrono::ceil<std::chrono::seconds>(limits.keep_alive_timeout).count());
}

HttpServer::~HttpServer() {
  stop_connections();
}

int HttpServer::bind(const std::string& host, int port) {
  int bound = port;
  if (port == 0) {
    bound = bind_to_any_port(host);
  } else if (!bind_to_port(host, port)) {
    bound = -1;
  }
  if (bound > 0) ::listen(svr_sock_, 1024);  // again: on Linux this sets the backlog
  return bound;
}

bool HttpServer::process_and_close_socket(socket_t socket) {
  front_.admit(socket);
  return true;
}

void HttpServer::start_connections() {
  const std::lock_guard lock(mutex_);
  stopping_ = false;
  front_.start();
  for (unsigned i = 0; i < threads_; ++i) workers_.emplace_back([this] { work(); });
}

void HttpServer::stop_connections() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    // Requests being read fail at once; those being handled still write their answer.
    for (int socket : serving_) ::shutdown(socket, SHUT_RD);
  }
  ready_.notify_all();
  for (std::thread& worker : workers_)
    if (worker.joinable()) worker.join();
  workers_.clear();
  front_.stop();
  const std::lock_guard lock(mutex_);
  queue_.clear();
}

void HttpServer::work() {
  for (;;) {
    std::unique_ptr<Connection> connection;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      connection = std::move(queue_.front());
      queue_.pop_front();
      serving_.insert(connection->socket);
    }
    serve(std::move(connection));
  }
}

void HttpServer::serve(std::unique_ptr<Connection> connection) {
  ConnectionStream stream(*connection, limits_);
  ++connection->requests;
  const bool last = connection->requests >= keep_alive_max_count_;
  bool client_closes = false;
  bool answered = false;
  try {
    answered = process_request(stream, last, client_closes, nullptr);
  } catch (const std::exception&) {
    // httplib answers the handlers' exceptions itself; anything past that closes the connection
  }
  stream.release_request();
  {
    const std::lock_guard lock(mutex_);
    serving_.erase(connection->socket);
  }
  if (stream.timed_out()) {
    events_.cut("body_timeout");
  } else if (answered && !stream.request_read()) {
    front_.linger(std::move(connection));  // answered without reading it all: let it finish
  } else if (answered && !client_closes && !last) {
    front_.resume(std::move(connection));
  }
}

}  // namespace playsight::http
