#include "registry/artifact_store.h"

#include <unistd.h>

#include <fstream>
#include <random>

#include "core/error.h"
#include "registry/content_hash.h"

namespace playsight::registry {
namespace {

std::filesystem::path incoming_folder(const std::filesystem::path& store_folder) {
  std::random_device device;
  return store_folder / (".incoming-" + std::to_string(::getpid()) + "-" +
                         std::to_string(device()) + std::to_string(device()));
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
  std::filesystem::copy(source, incoming, std::filesystem::copy_options::recursive, error);
  if (error) {
    std::filesystem::remove_all(incoming);
    throw InputError(source.string() + ": cannot copy into the registry's store " +
                     store_folder.string() + ": " + error.message());
  }
  StoredArtifact stored;
  try {
    stored.model_json = read_model_json(incoming);
    stored.content_hash = hash_folder(incoming);
  } catch (...) {
    std::filesystem::remove_all(incoming);
    throw;
  }
  stored.folder = std::filesystem::absolute(store_folder / stored.content_hash).lexically_normal();
  std::filesystem::rename(incoming, stored.folder, error);
  if (error) {
    // Already stored (the same content registered before, maybe by another process right now).
    std::filesystem::remove_all(incoming);
    if (!std::filesystem::is_directory(stored.folder))
      throw Error(stored.folder.string() + ": cannot store the artifact: " + error.message());
  }
  return stored;
}

}  // namespace playsight::registry
