#pragma once
// LogFolder: finds the files of a game log in a folder (names from schema.h). Each file is
// optional except players.csv; what is missing decides which feature groups can be built.
#include <optional>
#include <string>

namespace playsight::gamelog {

struct LogFolder {
  std::string folder;
  std::string players;               // required
  std::optional<std::string> items;  // needed for item price and item group features
  std::optional<std::string> logins;
  std::optional<std::string> topups;
  std::optional<std::string> purchases;
  std::optional<std::string> shop_visits;
  std::optional<std::string> experiment;
};

// Throws InputError if the folder does not exist or has no players.csv, naming what it found.
LogFolder find_log_files(const std::string& folder);

// The cutoff `playsight generate` wrote into the folder's manifest.json ("YYYY-MM-DD"); "" if the
// folder has no manifest or the manifest no cutoff.
std::string manifest_cutoff(const std::string& folder);

}  // namespace playsight::gamelog
