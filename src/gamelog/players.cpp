#include "gamelog/players.h"

#include "gamelog/schema.h"

namespace playsight::gamelog {
namespace {

std::vector<std::string_view> columns_of(const FileSchema& schema) {
  return {schema.columns.begin(), schema.columns.begin() + static_cast<long>(schema.column_count)};
}

// Reference tables are small; one worker keeps rows in file order.
CsvReadOptions in_file_order(CsvReadOptions options) {
  options.threads = 1;
  options.chunk_bytes = std::size_t{1} << 40;
  return options;
}

Gender parse_gender(const CsvRow& row, std::size_t column) {
  const std::string_view text = row.text(column);
  if (text == "F") return Gender::kFemale;
  if (text == "M") return Gender::kMale;
  if (text == "U" || text.empty()) return Gender::kUnknown;
  row.fail(column, "expected F, M or U (or empty for unknown), got " + quote_for_message(text));
}

double parse_flag(const CsvRow& row, std::size_t column) {
  const std::string_view text = row.text(column);
  if (text == "0") return 0;
  if (text == "1") return 1;
  row.fail(column, "expected 0 or 1, got " + quote_for_message(text));
}

}  // namespace

Players read_players(const std::string& path, const CsvReadOptions& options,
                     CsvReadReport* report) {
  CsvReader reader(path, columns_of(kPlayers));
  Players players;
  const std::size_t expected_rows = reader.size_bytes() / 16;  // rows are 20+ bytes
  players.index.reserve(expected_rows);
  players.gender.reserve(expected_rows);
  players.age.reserve(expected_rows);
  players.signup_day.reserve(expected_rows);
  const CsvReadReport result = reader.read(
      [&](unsigned) {
        return [&](const CsvRow& row) {
          const Gender gender = parse_gender(row, 1);
          const double age = static_cast<double>(row.integer(2));
          if (age < 0 || age > 150)
            row.fail(2, "expected an age in years (0-150), got " + quote_for_message(row.text(2)));
          const Days signup = row.date(3);
          if (row.text(0).empty()) row.fail(0, "expected a player id, got an empty field");
          if (players.index.add(row.text(0)) == KeyIndex::kAbsent) {
            row.fail(0, "player_id " + quote_for_message(row.text(0)) + " appears more than once");
          }
          players.gender.push_back(gender);
          players.age.push_back(age);
          players.signup_day.push_back(signup);
        };
      },
      in_file_order(options));
  players.index.seal();
  if (report) *report = result;
  return players;
}

ItemCatalogue read_item_catalogue(const std::string& path, const CsvReadOptions& options,
                                  CsvReadReport* report) {
  CsvReader reader(path, columns_of(kItems));
  ItemCatalogue items;
  const CsvReadReport result = reader.read(
      [&](unsigned) {
        return [&](const CsvRow& row) {
          const double price = row.number(2);
          if (price < 0)
            row.fail(2, "expected a price >= 0, got " + quote_for_message(row.text(2)));
          const double is_main = parse_flag(row, 3);
          const double is_high_value = parse_flag(row, 4);
          if (row.text(0).empty()) row.fail(0, "expected an item id, got an empty field");
          if (items.index.add(row.text(0)) == KeyIndex::kAbsent) {
            row.fail(0, "item_id " + quote_for_message(row.text(0)) + " appears more than once");
          }
          items.category.emplace_back(row.text(1));
          items.price_krw.push_back(price);
          items.is_main.push_back(static_cast<std::uint8_t>(is_main));
          items.is_high_value.push_back(static_cast<std::uint8_t>(is_high_value));
        };
      },
      in_file_order(options));
  items.index.seal();
  if (report) *report = result;
  return items;
}

}  // namespace playsight::gamelog
