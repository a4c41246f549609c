#include "spend/models/training_protocol.h"

#include <algorithm>
#include <unordered_set>

#include "core/csv_reader.h"
#include "core/error.h"
#include "gamelog/schema.h"

namespace playsight::spend {
namespace {

// A number in [0, 1) from the player id and the seed: the same player always lands in the same
// part for a seed, whatever the row order.
double unit_hash(const std::string& key, std::uint64_t seed) {
  std::uint64_t h = 1469598103934665603ull ^ (seed * 0x9E3779B97F4A7C15ull);
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return static_cast<double>(h >> 11) / 9007199254740992.0;
}

std::unordered_set<std::string> control_players(const std::string& path) {
  const auto& schema = gamelog::kExperiment;
  CsvReader reader(path, {schema.columns[0], schema.columns[1]});
  std::unordered_set<std::string> control;
  CsvReadOptions options;
  options.threads = 1;
  reader.read(
      [&](unsigned) {
        return [&](const CsvRow& row) {
          if (row.text(1) == gamelog::kControlGroup) control.emplace(row.text(0));
        };
      },
      options);
  return control;
}

}  // namespace

DataSplit split_players(const Table& features, const ProtocolOptions& options) {
  if (options.train_share <= 0 || options.validation_share <= 0 ||
      options.train_share + options.validation_share >= 1) {
    throw InputError("train and validation shares must be positive and leave room for a test set");
  }
  if (options.trim_top_share < 0 || options.trim_top_share >= 1) {
    throw InputError("--trim-top must be in [0, 1)");
  }
  DataSplit split;
  split.players = features.rows();
  std::vector<std::size_t> rows;
  if (options.control_only && !options.experiment_path.empty()) {
    const auto control = control_players(options.experiment_path);
    for (std::size_t r = 0; r < features.rows(); ++r) {
      if (control.count(features.keys[r])) rows.push_back(r);
    }
    if (rows.empty()) {
      throw InputError(options.experiment_path +
                       ": no player of the feature table is in the control group");
    }
    split.population = "control group (" + options.experiment_path + ")";
  } else {
    rows.resize(features.rows());
    for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = r;
    split.population = "all players";
  }
  split.control_players = rows.size();
  for (std::size_t r : rows) {
    const double u = unit_hash(features.keys[r], options.seed);
    if (u < options.train_share) {
      split.train.push_back(r);
    } else if (u < options.train_share + options.validation_share) {
      split.validation.push_back(r);
    } else {
      split.test.push_back(r);
    }
  }
  if (options.trim_top_share > 0) {
    const auto& spend = features.column(options.trim_column);
    // Drop the top share by rank (ties broken by row), so that many equal values cannot make
    // the cut remove more or fewer players than asked.
    const auto trim = [&](std::vector<std::size_t>& part) {
      const auto drop =
          static_cast<std::size_t>(static_cast<double>(part.size()) * options.trim_top_share);
      if (drop == 0) return;
      std::vector<std::size_t> by_spend = part;
      std::sort(by_spend.begin(), by_spend.end(), [&](std::size_t a, std::size_t b) {
        return spend[a] != spend[b] ? spend[a] > spend[b] : a < b;
      });
      by_spend.resize(drop);
      std::sort(by_spend.begin(), by_spend.end());
      std::erase_if(part, [&](std::size_t r) {
        return std::binary_search(by_spend.begin(), by_spend.end(), r);
      });
      split.trimmed += drop;
    };
    trim(split.train);
    trim(split.validation);
  }
  if (split.train.empty() || split.validation.empty() || split.test.empty()) {
    throw InputError("too few players to split into train, validation and test (" +
                     std::to_string(rows.size()) + " players)");
  }
  return split;
}

}  // namespace playsight::spend
