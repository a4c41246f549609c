#include "registry/artifact_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <random>
#include <system_error>
#include <vector>

#include "core/error.h"
#include "registry/content_hash.h"

namespace playsight::registry {
namespace {

std::filesystem::path incoming_folder(const std::filesystem::path& store_folder) {
  std::random_device device;
  return store_folder / (".incoming-" + std::to_string(::getpid()) + "-" +
                         std::to_string(device()) + std::to_string(device()));
}

// Why a file operation failed, from errno.
std::string system_reason() {
  return std::error_code(errno, std::generic_category()).message();
}

// Copies one file. (Not std::filesystem::copy_file: libstdc++ reports a short copy, such as on a
// full disk, as "Input/output error" and the real reason is lost.)
void copy_one_file(const std::filesystem::path& from, const std::filesystem::path& to) {
  const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) throw InputError(from.string() + ": cannot read: " + system_reason());
  const int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (out < 0) {
    const std::string reason = system_reason();
    ::close(in);
    throw Error(to.string() + ": cannot create: " + reason);
  }
  std::vector<char> buffer(1 << 16);
  std::string failure;
  for (;;) {
    const ssize_t got = ::read(in, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) failure = from.string() + ": cannot read: " + system_reason();
    if (got <= 0) break;
    for (ssize_t written = 0; written < got && failure.empty();) {
      const ssize_t put =
          ::write(out, buffer.data() + written, static_cast<std::size_t>(got - written));
      if (put < 0 && errno == EINTR) continue;
      if (put < 0) failure = to.string() + ": " + system_reason();
      written += std::max<ssize_t>(put, 0);
    }
    if (!failure.empty()) break;
  }
  ::close(in);
  if (::close(out) != 0 && failure.empty()) failure = to.string() + ": " + system_reason();
  if (!failure.empty()) throw Error(failure);
}

// Copies the folder's tree (following symbolic links, as registering reads what they point at).
void copy_tree(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::filesystem::create_directory(to);
  for (const auto& entry : std::filesystem::directory_iterator(from)) {
    const std::filesystem::path target = to / entry.path().filename();
    if (entry.is_directory()) {
      copy_tree(entry.path(), target);
    } else if (entry.is_regular_file()) {
      copy_one_file(entry.path(), target);
    } else {
      throw InputError(entry.path().string() + ": neither a file nor a folder; a model folder " +
                       "holds only files and folders");
    }
  }
}

void check_artifact_folder(const std::filesystem::path& folder) {
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error))
    throw InputError(folder.string() + ": not a folder; expected a model folder written by " +
                     "`playsight train` or `playsight compare --save-models`");
  if (!std::filesystem::is_regular_file(folder / "model.json", error))
    throw InputError(folder.string() + ": no model.json; expected a model folder written by " +
                     "`playsight train` or `playsight compare --save-models`");
}

}  // namespace

nlohmann::json read_model_json(const std::filesystem::path& folder) {
  check_artifact_folder(folder);
  const std::filesystem::path path = folder / "model.json";
  std::ifstream in(path);
  if (!in) throw InputError(path.string() + ": cannot open");
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& error) {
    throw InputError(path.string() + ": not valid JSON: " + error.what());
  }
  if (!json.is_object()) throw InputError(path.string() + ": expected a JSON object");
  return json;
}

StoredArtifact store_artifact(const std::filesystem::path& source,
                              const std::filesystem::path& store_folder) {
  check_artifact_folder(source);
  std::error_code error;
  std::filesystem::create_directories(store_folder, error);
  if (error)
    throw InputError(store_folder.string() +
                     ": cannot create the registry's store folder: " + error.message());
  const std::filesystem::path incoming = incoming_folder(store_folder);
  std::error_code ignored;
  try {
    copy_tree(source, incoming);
  } catch (const InputError&) {
    std::filesystem::remove_all(incoming, ignored);
    throw;
  } catch (const std::exception& failure) {
    // A full disk, say: an I/O failure (Error, exit 1), and the partial copy goes.
    std::filesystem::remove_all(incoming, ignored);
    throw Error(source.string() + ": cannot copy into the registry's store " +
                store_folder.string() + ": " + failure.what() + " (nothing was registered)");
  }
  StoredArtifact stored;
  try {
    stored.model_json = read_model_json(incoming);
    stored.content_hash = hash_folder(incoming);
  } catch (...) {
    std::filesystem::remove_all(incoming, ignored);
    throw;
  }
  stored.folder = std::filesystem::absolute(store_folder / stored.content_hash).lexically_normal();
  std::filesystem::rename(incoming, stored.folder, error);
  if (error) {
    // Already stored (the same content registered before, maybe by another process right now).
    std::filesystem::remove_all(incoming, ignored);
    if (!std::filesystem::is_directory(stored.folder))
      throw Error(stored.folder.string() + ": cannot store the artifact: " + error.message());
  }
  return stored;
}

}  // namespace playsight::registry
