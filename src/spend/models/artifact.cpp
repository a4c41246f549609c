#include "spend/models/artifact.h"

#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "core/error.h"
#include "core/table.h"
#include "core/time.h"
#include "playsight/version.h"

namespace playsight::spend {
namespace {

std::string current_user() {
  if (const char* user = std::getenv("USER"); user && *user) return user;
  if (const passwd* entry = ::getpwuid(::getuid())) return entry->pw_name;
  return "unknown";
}

}  // namespace

void save_model_artifact(const ModelArtifact& artifact, const std::filesystem::path& folder) {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error)
    throw InputError(folder.string() + ": cannot create the model folder: " + error.message());
  const ModelSpec& spec = find_model_spec(artifact.alias);
  nlohmann::json json;
  json["kind"] = "playsight.spend_model";
  json["alias"] = spec.alias;
  json["description"] = spec.description;
  json["features"] = artifact.features;
  json["label"] = artifact.label;
  json["model"] = artifact.model->save(folder);
  json["training"] = artifact.training;
  json["metrics"] = artifact.metrics;
  json["playsight_version"] = kVersion;
  json["created_at"] = utc_now_iso();
  json["created_by"] = current_user();
  write_file((folder / "model.json").string(), json.dump(2) + "\n");
}

ModelArtifact load_model_artifact(const std::filesystem::path& folder,
                                  const ModelOptions& options) {
  const std::string path = (folder / "model.json").string();
  std::ifstream in(path);
  if (!in)
    throw InputError(path + ": cannot open (is " + folder.string() +
                     " a model folder written by `playsight train`?)");
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& error) {
    throw InputError(path + ": not valid JSON: " + error.what());
  }
  ModelArtifact artifact;
  try {
    if (json.value("kind", "") != "playsight.spend_model")
      throw InputError(path + ": not a playsight spend model");
    artifact.alias = json.at("alias").get<std::string>();
    artifact.features = json.at("features").get<std::vector<std::string>>();
    artifact.label = json.at("label").get<std::string>();
    artifact.training = json.value("training", nlohmann::json::object());
    artifact.metrics = json.value("metrics", nlohmann::json::object());
    artifact.model = find_model_spec(artifact.alias).load(json.at("model"), folder, options);
  } catch (const nlohmann::json::exception& error) {
    throw InputError(path + ": " + error.what());
  }
  return artifact;
}

}  // namespace playsight::spend
