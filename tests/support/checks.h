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

// True in the AddressSanitizer build (PLAYSIGHT_BUILD_TYPE=Asan): its quarantine holds freed
// memory (256 MB by default) and its shadow memory needs terabytes of address space, so a
// process's RSS and an RLIMIT_AS say nothing there about playsight's own memory.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif

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

// Runs a shell command and collects what it printed on stdout and stderr.
inline CommandRun run_command(const std::string& command) {
  std::FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  std::string output;
  std::array<char, 4096> buffer{};
  while (std::size_t got = std::fread(buffer.data(), 1, buffer.size(), pipe))
    output.append(buffer.data(), got);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

#ifdef PLAYSIGHT_BINARY
// Runs `playsight ARGUMENTS` (the binary of this build).
inline CommandRun run_playsight(const std::string& arguments) {
  return run_command(std::string(PLAYSIGHT_BINARY) + " " + arguments);
}
#endif

}  // namespace playsight::testing
