#pragma once
// What the libFuzzer harnesses of fuzz/ share: a scratch folder for the files a parser reads
// (on /dev/shm when there is one, so that writing an input costs no disk I/O), and the rule of
// every harness: a parser may answer bad input only with the errors it documents (InputError, or
// an HttpError of a 4xx status for the service's routes). Any other exception, or a broken
// invariant, is a finding: the harness prints it and aborts, so libFuzzer saves the input as a
// crash. Harnesses are single-threaded; nothing here is synchronised.
#include <cxxabi.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <typeinfo>

#include "core/error.h"

namespace playsight::fuzz {

// Prints what went wrong and aborts (libFuzzer reports a deadly signal and keeps the input).
[[noreturn]] inline void finding(const std::string& what) {
  std::fprintf(stderr, "\n==== playsight fuzz finding: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

inline void require(bool condition, const std::string& what) {
  if (!condition) finding("invariant broken: " + what);
}

inline std::string type_name(const std::type_info& type) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name(
      abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free);
  return status == 0 && name ? name.get() : type.name();
}

// The exception being handled, as "TYPE: what()", for a finding's message.
inline std::string current_exception_text() {
  try {
    throw;
  } catch (const std::exception& error) {
    return type_name(typeid(error)) + ": " + error.what();
  } catch (...) {
    const std::type_info* type = abi::__cxa_current_exception_type();
    return type ? type_name(*type) : "an unknown exception";
  }
}

// Runs parse(); an InputError is an accepted answer (returns false), anything else a finding.
template <class Parse>
bool accepts(Parse&& parse) {
  try {
    parse();
    return true;
  } catch (const InputError&) {
    return false;
  } catch (...) {
    finding("an undocumented exception escaped: " + current_exception_text());
  }
}

// A folder for this process's input files, removed at exit.
class Scratch {
 public:
  Scratch() {
    const std::filesystem::path base =
        ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : std::filesystem::temp_directory_path();
    remove_stale_folders(base);
    folder_ = base / ("playsight-fuzz-" + std::to_string(::getpid()));
    std::filesystem::remove_all(folder_);
    std::filesystem::create_directories(folder_);
  }
  ~Scratch() {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  std::string path(const std::string& name) const { return (folder_ / name).string(); }
  // Writes bytes to FOLDER/name (its folders created) and returns the path.
  std::string write(const std::string& name, std::string_view bytes) const {
    const std::filesystem::path file = folder_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) finding("cannot write the scratch file " + file.string());
    return file.string();
  }

 private:
  // Folders of harnesses that crashed (an abort skips the destructor) and whose process is gone.
  static void remove_stale_folders(const std::filesystem::path& base) {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(base, error)) {
      const std::string name = entry.path().filename().string();
      if (!name.starts_with("playsight-fuzz-")) continue;
      const long pid = std::strtol(name.c_str() + 15, nullptr, 10);
      if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)
        std::filesystem::remove_all(entry.path(), error);
    }
  }

  std::filesystem::path folder_;
};

// One per process; static so that harnesses' fixtures built at start-up can use it.
inline Scratch& scratch() {
  static Scratch instance;
  return instance;
}

}  // namespace playsight::fuzz
