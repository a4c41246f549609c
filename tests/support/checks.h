#pragma once
// Helpers shared by the test suites: the message of the InputError an action throws, and a run
// of the real playsight binary with its exit code and output.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <functional>
#include <string>

#include "core/error.h"

namespace playsight::testing {

// The message of the InputError that `action` throws, or "(no error)".
inline std::string input_error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const InputError& error) {
    return error.what();
  }
  return "(no error)";
}

struct CommandRun {
  int exit_code;
  std::string output;  // stdout and stderr
};

#ifdef PLAYSIGHT_BINARY
// Runs `playsight ARGUMENTS` (the binary of this build) and collects what it printed.
inline CommandRun run_playsight(const std::string& arguments) {
  const std::string command = std::string(PLAYSIGHT_BINARY) + " " + arguments + " 2>&1";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  std::string output;
  std::array<char, 4096> buffer{};
  while (std::size_t got = std::fread(buffer.data(), 1, buffer.size(), pipe))
    output.append(buffer.data(), got);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}
#endif

}  // namespace playsight::testing
