#pragma once
// Model artifacts: a folder holding the model's own files (XGBoost JSON, which Python's xgboost
// loads; KNN points) and model.json with everything needed to use it again: the alias, the
// feature list in order, the label and horizon, the stages and their transforms and thresholds,
// the training-data summary, metrics, the playsight version, and when and by whom it was made.
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "spend/models/spend_model.h"

namespace playsight::spend {

struct ModelArtifact {
  std::string alias;
  std::vector<std::string> features;  // in the order the model reads them
  std::string label;                  // e.g. topup_amount_next_30d
  nlohmann::json training;            // data summary and protocol
  nlohmann::json metrics;             // on the test players
  std::unique_ptr<SpendModel> model;
};

// Writes the folder (created if missing; existing files of the same names are replaced).
void save_model_artifact(const ModelArtifact& artifact, const std::filesystem::path& folder);
// Throws InputError naming the folder and the field for a missing or damaged artifact.
ModelArtifact load_model_artifact(const std::filesystem::path& folder, const ModelOptions& options);

}  // namespace playsight::spend
