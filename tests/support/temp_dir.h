#pragma once
// A fresh folder under the system temp dir for one test, removed when the test ends, plus a
// helper to write small files into it.
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace playsight::testing {

class TempDir {
 public:
  TempDir() {
    std::random_device device;
    path_ = std::filesystem::temp_directory_path() /
            ("playsight-test-" + std::to_string(device()) + std::to_string(device()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string path() const { return path_.string(); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string write(const std::string& name, const std::string& contents) const {
    std::ofstream out(path_ / name, std::ios::binary);
    out << contents;
    return file(name);
  }

 private:
  std::filesystem::path path_;
};

}  // namespace playsight::testing
