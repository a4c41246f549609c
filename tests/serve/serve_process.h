#pragma once
// The real `playsight serve` as a child process, for figures that must be the server's alone (its
// memory from /proc/PID/status) and for its log. It listens on a port of its own choosing
// (--port 0), read from its "listening on" line; its stdout and stderr go to a log file.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace playsight::testing {

class ServeProcess {
 public:
  // Starts `playsight serve ARGUMENTS --port 0` and waits, up to two minutes, for its listening
  // line. Throws if it exits or does not listen by then.
  ServeProcess(std::vector<std::string> arguments, std::string log_file)
      : log_file_(std::move(log_file)) {
    arguments.insert(arguments.begin(), {PLAYSIGHT_BINARY, "serve"});
    arguments.insert(arguments.end(), {"--port", "0"});
    pid_ = ::fork();
    if (pid_ == 0) {
      const int fd = ::open(log_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      std::vector<char*> argv;
      for (std::string& argument : arguments) argv.push_back(argument.data());
      argv.push_back(nullptr);
      ::execv(PLAYSIGHT_BINARY, argv.data());
      ::_exit(127);
    }
    const std::string marker = "listening on http://127.0.0.1:";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string text = log();
      if (const std::size_t at = text.find(marker); at != std::string::npos) {
        const std::size_t end = text.find('\n', at);
        if (end != std::string::npos) {
          port_ = std::stoi(text.substr(at + marker.size(), end - at - marker.size()));
          return;
        }
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("playsight serve exited before listening: " + text);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polls the log for the line
    }
    throw std::runtime_error("playsight serve did not listen within 2 minutes: " + log());
  }
  ~ServeProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  int port() const { return port_; }

  // A field of /proc/PID/status in kB (VmRSS: resident now, VmHWM: the peak so far).
  long status_kb(const std::string& field) const {
    std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(status, line))
      if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
    return -1;
  }

  // Stops it with SIGTERM (it writes its last log lines then) and waits; true if it exited 0.
  bool stop() {
    if (pid_ <= 0) return false;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }

  std::string log() const {
    std::ifstream in(log_file_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  std::string log_file_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace playsight::testing
