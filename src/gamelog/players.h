#pragma once
// Players and the item catalogue: the two reference tables of a game log (players.csv,
// items.csv; see schema.h). Both are read whole into memory, in file order, and give their rows
// dense indices through a KeyIndex so that per-player and per-item state can live in arrays.
#include <cstdint>
#include <string>
#include <vector>

#include "core/csv_reader.h"
#include "core/key_index.h"
#include "core/time.h"

namespace playsight::gamelog {

enum class Gender : std::uint8_t { kUnknown, kFemale, kMale };

struct Players {
  KeyIndex index;  // player_id -> row
  std::vector<Gender> gender;
  std::vector<double> age;
  std::vector<Days> signup_day;
};

struct ItemCatalogue {
  KeyIndex index;  // item_id -> row
  std::vector<std::string> category;
  std::vector<double> price_krw;
  std::vector<std::uint8_t> is_main;
  std::vector<std::uint8_t> is_high_value;
};

// Reads players.csv. Throws InputError (FILE:LINE: column ...) for a bad row or a repeated
// player_id; with options.skip_bad_rows such rows are counted in the report instead.
Players read_players(const std::string& path, const CsvReadOptions& options,
                     CsvReadReport* report = nullptr);

ItemCatalogue read_item_catalogue(const std::string& path, const CsvReadOptions& options,
                                  CsvReadReport* report = nullptr);

}  // namespace playsight::gamelog
