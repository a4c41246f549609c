// The artifact store's disk full during `playsight models register`, on a real small filesystem:
// a 300 KB tmpfs mounted (mount(2); the suite runs as root) at the store folder for this test
// only, the registry's database on the ordinary disk. Registering a 1 MB artifact must fail with
// exit code 1 (an I/O failure, not bad input: core/error.h) and a message naming the store and
// "No space left on device"; no version may be listed and nothing half-written may stay in the
// store; a small artifact then registers into the same store, and after the store is remounted
// bigger the 1 MB one does too. Without the permission to mount, the test fails; it never skips.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "../support/checks.h"
#include "../support/temp_dir.h"

namespace playsight::testing {
namespace {

// A tmpfs of `size` (mount's size=, e.g. "300k") at folder, unmounted when this goes away.
class SmallFilesystem {
 public:
  SmallFilesystem(std::string folder, const std::string& size) : folder_(std::move(folder)) {
    std::filesystem::create_directories(folder_);
    const std::string options = "size=" + size;
    if (::mount("tmpfs", folder_.c_str(), "tmpfs", 0, options.c_str()) != 0)
      error_ = "cannot mount a " + size + " tmpfs at " + folder_ + ": " + std::strerror(errno) +
               " (the test makes a full disk with mount(2) and needs root or CAP_SYS_ADMIN)";
  }
  ~SmallFilesystem() {
    if (error_.empty()) ::umount2(folder_.c_str(), MNT_DETACH);
  }
  SmallFilesystem(const SmallFilesystem&) = delete;
  SmallFilesystem& operator=(const SmallFilesystem&) = delete;

  const std::string& error() const { return error_; }
  bool grow(const std::string& size) const {
    const std::string options = "size=" + size;
    return ::mount("tmpfs", folder_.c_str(), "tmpfs", MS_REMOUNT, options.c_str()) == 0;
  }
  std::uint64_t used_bytes() const {
    struct statvfs stats {};
    ::statvfs(folder_.c_str(), &stats);
    return (stats.f_blocks - stats.f_bfree) * stats.f_frsize;
  }
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(folder_))
      names.push_back(entry.path().filename().string());
    return names;
  }

 private:
  std::string folder_;
  std::string error_;
};

TEST(ArtifactStoreDiskFull, RegisterFailsClearlyRegistersNothingLeavesNothingAndWorksAfterwards) {
  TempDir temp;
  const std::string store = temp.file("store");
  SmallFilesystem disk(store, "300k");
  ASSERT_EQ(disk.error(), "");
  const auto artifact = [&](const std::string& name, std::size_t bytes) {
    std::filesystem::create_directories(temp.file(name));
    temp.write(name + "/model.json", R"({"alias": "mse_model", "metrics": {}, "training": {}})");
    temp.write(name + "/model.xgb.json", std::string(bytes, 't') + name);
    return temp.file(name);
  };
  const std::string big = artifact("big", 1024 * 1024);
  const std::string small = artifact("small", 50 * 1024);
  const std::string flags =
      " --registry sqlite://" + temp.file("registry/registry.db") + " --store " + store;
  const auto versions = [&] {
    const CommandRun list = run_playsight("models list --json" + flags);
    EXPECT_EQ(list.exit_code, 0) << list.output;
    int count = 0;
    for (const auto& model : nlohmann::json::parse(list.output))
      count += model["versions"].get<int>();
    return count;
  };

  const CommandRun full = run_playsight("models register " + big + " --name spend" + flags);
  EXPECT_EQ(full.exit_code, 1) << full.output;
  EXPECT_NE(full.output.find("cannot copy into the registry's store " + store), std::string::npos)
      << full.output;
  EXPECT_NE(full.output.find("No space left on device"), std::string::npos) << full.output;
  EXPECT_EQ(versions(), 0);
  const std::vector<std::string> left = disk.entries();
  EXPECT_TRUE(left.empty()) << "left in the store: " << left.front();
  const std::uint64_t used_after_failure = disk.used_bytes();
  EXPECT_LT(used_after_failure, 16u * 1024) << "the partial copy was not removed";

  const CommandRun fits = run_playsight("models register " + small + " --name spend" + flags);
  EXPECT_EQ(fits.exit_code, 0) << fits.output;
  EXPECT_EQ(versions(), 1);
  ASSERT_TRUE(disk.grow("4m")) << "cannot remount the tmpfs bigger: " << std::strerror(errno);
  const CommandRun bigger = run_playsight("models register " + big + " --name spend" + flags);
  EXPECT_EQ(bigger.exit_code, 0) << bigger.output;
  EXPECT_EQ(versions(), 2);
  std::printf(
      "300 KB store, 1 MB artifact: exit %d, \"%s\"; then %d versions listed, %zu entries and "
      "%llu bytes used in the store; a 50 KB artifact registered (exit %d); remounted at 4 MB, the "
      "1 MB one registered (exit %d); %d versions\n",
      full.exit_code, full.output.substr(0, full.output.find('\n')).c_str(), 0, left.size(),
      static_cast<unsigned long long>(used_after_failure), fits.exit_code, bigger.exit_code,
      versions());
}

}  // namespace
}  // namespace playsight::testing
