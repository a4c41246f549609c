#include "experiment/assignment.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "core/csv_reader.h"
#include "core/error.h"

namespace playsight::experiment {

std::vector<std::size_t> Assignment::group_sizes() const {
  std::vector<std::size_t> sizes(groups.size(), 0);
  for (std::uint32_t g : group) ++sizes[g];
  return sizes;
}

std::int64_t Assignment::group_index(const std::string& name) const {
  const auto found = std::find(groups.begin(), groups.end(), name);
  return found == groups.end() ? -1 : found - groups.begin();
}

Assignment read_assignment(const std::string& path) {
  const CsvReader reader(path, {"player_id", "group", "exposure_time"});
  Assignment result;
  result.path = path;
  std::unordered_map<std::string, std::uint32_t> group_of_name;
  std::unordered_map<std::int64_t, std::uint64_t> line_of_player;
  // One worker keeps the file order, so that the line of row r is r + 2 (the header is line 1;
  // experiment.csv has no quoted line breaks, which would shift the count).
  CsvReadOptions options;
  options.threads = 1;
  reader.read(
      [&](unsigned) {
        return [&](const CsvRow& row) {
          const std::uint64_t line = result.player_ids.size() + 2;
          const std::int64_t player = row.integer(0);
          if (player <= 0) row.fail(0, "a positive player id was expected");
          const std::string_view group = row.text(1);
          if (group.empty()) row.fail(1, "a group name was expected, got an empty field");
          const Seconds exposure = row.timestamp(2);
          const auto [previous, fresh] = line_of_player.emplace(player, line);
          if (!fresh) {
            row.fail(0, "player " + std::to_string(player) + " is assigned twice (also on line " +
                            std::to_string(previous->second) + ")");
          }
          const auto [named, added] = group_of_name.emplace(
              std::string(group), static_cast<std::uint32_t>(result.groups.size()));
          if (added) result.groups.emplace_back(group);
          result.player_ids.push_back(player);
          result.group.push_back(named->second);
          result.exposure.push_back(exposure);
          result.lines.push_back(line);
        };
      },
      options);
  if (result.player_ids.empty())
    throw InputError(path + ": no players are assigned (no data rows)");
  // Groups in name order, so that reports list them the same way whatever the row order.
  std::vector<std::string> sorted = result.groups;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::uint32_t> new_index(sorted.size());
  for (std::size_t g = 0; g < result.groups.size(); ++g) {
    new_index[g] = static_cast<std::uint32_t>(
        std::lower_bound(sorted.begin(), sorted.end(), result.groups[g]) - sorted.begin());
  }
  for (std::uint32_t& g : result.group) g = new_index[g];
  result.groups = std::move(sorted);
  return result;
}

}  // namespace playsight::experiment
