#include "gamelog/log_folder.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "gamelog/schema.h"

namespace playsight::gamelog {

LogFolder find_log_files(const std::string& folder) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    throw InputError(folder + ": no such folder (expected a folder of game-log CSV files: " +
                     std::string(kPlayers.file_name) + ", " + std::string(kLogins.file_name) +
                     ", ...)");
  }
  const auto file = [&](const FileSchema& schema) -> std::optional<std::string> {
    const fs::path path = fs::path(folder) / schema.file_name;
    if (fs::exists(path, error)) return path.string();
    return std::nullopt;
  };
  LogFolder logs;
  logs.folder = folder;
  const auto players = file(kPlayers);
  if (!players) {
    throw InputError(
        folder + ": no " + std::string(kPlayers.file_name) +
        " (every game log needs one row per player: player_id,gender,age,signup_date)");
  }
  logs.players = *players;
  logs.items = file(kItems);
  logs.logins = file(kLogins);
  logs.topups = file(kTopups);
  logs.purchases = file(kPurchases);
  logs.shop_visits = file(kShopVisits);
  logs.experiment = file(kExperiment);
  return logs;
}

std::string manifest_cutoff(const std::string& folder) {
  std::ifstream in(std::filesystem::path(folder) / kManifestFile);
  if (!in) return "";
  try {
    return nlohmann::json::parse(in).value("/dates/cutoff"_json_pointer, std::string());
  } catch (const nlohmann::json::exception&) {
    return "";
  }
}

}  // namespace playsight::gamelog
