#include "tasks/effect_inputs.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "core/csv_reader.h"
#include "core/error.h"
#include "core/time.h"
#include "gamelog/log_folder.h"
#include "gamelog/schema.h"
#include "spend/features.h"

namespace playsight::tasks {
namespace {

namespace fs = std::filesystem;
using experiment::Assignment;

constexpr Seconds kDay = 86400;

std::string count_text(std::size_t count, const char* noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}
// "1 player was", "2 players were".
std::string count_was(std::size_t count, const char* noun) {
  return count_text(count, noun) + (count == 1 ? " was" : " were");
}

nlohmann::json read_manifest(const std::string& logs) {
  std::ifstream in(fs::path(logs) / gamelog::kManifestFile);
  if (!in) return nlohmann::json::object();
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception&) {
    return nlohmann::json::object();
  }
}

bool reads_item_columns(const std::vector<std::string>& features) {
  return std::any_of(features.begin(), features.end(), [](const std::string& name) {
    return name.starts_with("item_group_") || name.starts_with("item_pca_");
  });
}

// The control group's index; an error listing the groups when it is not in the file.
std::uint32_t control_index(const Assignment& assignment, const std::string& control) {
  const std::int64_t index = assignment.group_index(control);
  if (index >= 0) return static_cast<std::uint32_t>(index);
  const std::vector<std::size_t> sizes = assignment.group_sizes();
  std::string groups;
  for (std::size_t g = 0; g < sizes.size(); ++g) {
    groups += (g ? ", " : "") + assignment.groups[g] + " (" + std::to_string(sizes[g]) + ")";
  }
  throw InputError(assignment.path + ": no player is in the control group '" + control +
                   "'; the file's groups are " + groups + " (choose one with --control)");
}

// Exposure times against the cutoff, the outcome window and the end of the logs: errors for
// exposures that the analysis cannot use, a warning for late ones.
// latest_event < 0: the logs are not read yet, only the cutoff and the window are checked.
void check_exposures(const Assignment& assignment, Days cutoff, int outcome_days,
                     Seconds latest_event, std::vector<std::string>& warnings) {
  const Seconds start = static_cast<Seconds>(cutoff) * kDay;
  const Seconds window_end = start + static_cast<Seconds>(outcome_days) * kDay;
  struct Problem {
    std::size_t count = 0;
    std::size_t first = 0;
  };
  Problem before, after_window, after_logs, late;
  const auto note = [](Problem& problem, std::size_t row) {
    if (problem.count++ == 0) problem.first = row;
  };
  for (std::size_t r = 0; r < assignment.players(); ++r) {
    const Seconds t = assignment.exposure[r];
    if (t < start) note(before, r);
    if (t >= window_end) note(after_window, r);
    if (latest_event >= 0 && t > latest_event) note(after_logs, r);
    if (t >= start + kDay && t < window_end) note(late, r);
  }
  const auto where = [&](const Problem& problem) {
    const std::size_t r = problem.first;
    return " (first: line " + std::to_string(assignment.lines[r]) + ", player " +
           std::to_string(assignment.player_ids[r]) + " at " +
           format_timestamp(assignment.exposure[r]) + ")";
  };
  if (before.count) {
    throw InputError(assignment.path + ": " + count_was(before.count, "player") +
                     " exposed before the cutoff " + format_date(cutoff) + where(before) +
                     "; their pre-period would contain the nudge: use an earlier --cutoff");
  }
  if (after_logs.count) {
    throw InputError(assignment.path + ": " + count_text(after_logs.count, "exposure time") +
                     (after_logs.count == 1 ? " is" : " are") +
                     " after the last event of the logs (" + format_timestamp(latest_event) + ")" +
                     where(after_logs) + ": the logs do not cover them");
  }
  if (after_window.count && latest_event >= 0) {
    throw InputError(assignment.path + ": " + count_was(after_window.count, "player") +
                     " exposed after the " + std::to_string(outcome_days) +
                     "-day outcome window from " + format_date(cutoff) + where(after_window));
  }
  if (late.count && latest_event >= 0) {
    warnings.push_back(count_was(late.count, "player") +
                       " exposed a day or more after the start of the outcome window" +
                       where(late) + "; their window holds fewer nudged days");
  }
}

// The generator's true effect per player id, or an empty map.
std::unordered_map<std::int64_t, double> read_truth(const std::string& path) {
  std::unordered_map<std::int64_t, double> truth;
  const CsvReader reader(path, {"player_id", "true_effect_krw"});
  CsvReadOptions options;
  options.threads = 1;
  reader.read(
      [&](unsigned) { return [&](const CsvRow& row) { truth[row.integer(0)] = row.number(1); }; },
      options);
  return truth;
}

void check_model_features(const spend::ModelArtifact& artifact, const std::string& folder,
                          const Table& table) {
  std::vector<std::string> missing;
  for (const std::string& name : artifact.features) {
    if (std::find(table.column_names.begin(), table.column_names.end(), name) ==
        table.column_names.end())
      missing.push_back(name);
  }
  if (missing.empty()) return;
  std::string names;
  for (std::size_t k = 0; k < missing.size() && k < 8; ++k) names += (k ? ", " : "") + missing[k];
  if (missing.size() > 8) names += ", ...";
  throw InputError(folder + "/model.json: the model reads " +
                   count_text(missing.size(), "feature") +
                   " that the features of these logs do not have: " + names +
                   " (it was trained on features built with other options or another schema)");
}

// A model trained on top-ups of the outcome window has seen the control players' outcomes.
void check_training_window(const spend::ModelArtifact& artifact, Days cutoff,
                           const std::string& folder, std::vector<std::string>& warnings) {
  const nlohmann::json& features = artifact.training.value("features", nlohmann::json::object());
  if (!features.contains("cutoff")) {
    warnings.push_back(folder +
                       ": the model does not say which window it was trained on (trained before "
                       "this version recorded it); if it saw top-ups after the exposure, CUPAC and "
                       "the per-player intervals are biased");
    return;
  }
  const Days model_cutoff = parse_date(features["cutoff"].get<std::string>());
  const int label_days = features.value("label_days", 30);
  if (model_cutoff + label_days > cutoff) {
    warnings.push_back(
        folder + ": the model was trained on top-ups from " + format_date(model_cutoff) + " to " +
        format_date(model_cutoff + label_days - 1) + ", after the experiment began (" +
        format_date(cutoff) +
        "): predictions of the control players it was fitted on carry their outcomes, which "
        "biases CUPAC and narrows per-player intervals; train it on features with --cutoff "
        "on or before " +
        format_date(cutoff - label_days) + " (see docs/guides/experiment.md)");
  }
}

}  // namespace

EffectInputs load_effect_inputs(const EffectInputOptions& options) {
  EffectInputs inputs;
  const gamelog::LogFolder logs = gamelog::find_log_files(options.logs);
  std::string assignment_path = options.assignment;
  if (assignment_path.empty()) {
    if (!logs.experiment) {
      throw InputError(options.logs +
                       ": no experiment.csv in the folder; pass the assignment with --experiment");
    }
    assignment_path = *logs.experiment;
  }
  const Assignment assignment = experiment::read_assignment(assignment_path);
  const std::uint32_t control = control_index(assignment, options.control);
  const std::vector<std::size_t> sizes = assignment.group_sizes();
  if (sizes.size() < 2) {
    throw InputError(assignment_path + ": every player is in the control group '" +
                     options.control + "'; there is no nudge group to measure");
  }
  const nlohmann::json manifest = read_manifest(options.logs);
  if (manifest.contains("experiment") && manifest["experiment"].contains("groups")) {
    for (const auto& group : manifest["experiment"]["groups"]) {
      const std::string name = group.value("name", "");
      if (!name.empty() && assignment.group_index(name) < 0) {
        inputs.warnings.push_back("manifest.json lists group '" + name + "', but " +
                                  assignment_path + " assigns no player to it");
      }
    }
  }

  const Seconds first_exposure =
      *std::min_element(assignment.exposure.begin(), assignment.exposure.end());
  const Days cutoff =
      options.cutoff.empty()
          ? static_cast<Days>(first_exposure >= 0 ? first_exposure / kDay
                                                  : (first_exposure - kDay + 1) / kDay)
          : parse_date(options.cutoff);
  inputs.cutoff = format_date(cutoff);

  check_exposures(assignment, cutoff, options.outcome_days, -1, inputs.warnings);

  spend::ModelOptions model_options;
  model_options.threads = options.threads;
  const spend::ModelArtifact artifact = spend::load_model_artifact(options.model, model_options);
  inputs.model_description = artifact.alias + " (" + options.model + ")";
  if (spend::horizon_days_of(artifact.label) != options.outcome_days) {
    throw InputError(options.model + "/model.json: the model predicts " + artifact.label +
                     ", but the outcome window is " + std::to_string(options.outcome_days) +
                     " days (--outcome-days)");
  }
  const bool item_columns = reads_item_columns(artifact.features);
  if (item_columns && options.item_projection.empty()) {
    throw InputError(options.model +
                     "/model.json: the model reads item-group columns, which depend on the item "
                     "groups found when its training features were built: pass that "
                     "features.item_projection.json with --item-projection");
  }

  spend::FeatureOptions feature_options;
  feature_options.cutoff = cutoff;
  feature_options.label_days = options.outcome_days;
  feature_options.label = spend::LabelMode::kAuto;
  feature_options.item_groups = item_columns;
  feature_options.item_projection_in = options.item_projection;
  feature_options.threads = options.threads;
  feature_options.skip_bad_rows = options.skip_bad_rows;
  feature_options.progress = options.progress;
  spend::validate(feature_options);
  spend::FeatureResult built = spend::build_player_features(logs, feature_options);
  if (!built.label_written) {
    throw InputError(options.logs + ": no outcomes for the " +
                     std::to_string(options.outcome_days) + " days from " + inputs.cutoff + ": " +
                     built.label_note);
  }
  for (const spend::FileReport& file : built.files) {
    if (file.skipped_rows > 0) {
      inputs.warnings.push_back(file.path + ": " + count_text(file.skipped_rows, "bad row") +
                                " skipped (--skip-bad-rows)");
    }
  }
  check_exposures(assignment, cutoff, options.outcome_days, built.latest_event, inputs.warnings);
  check_model_features(artifact, options.model, built.table);
  check_training_window(artifact, cutoff, options.model, inputs.warnings);

  // The analysed players: the assignment's, in its order, that the logs know at the cutoff.
  const Table& table = built.table;
  std::unordered_map<std::string, std::size_t> row_of;
  row_of.reserve(table.rows());
  for (std::size_t r = 0; r < table.rows(); ++r) row_of.emplace(table.keys[r], r);
  std::vector<std::size_t> rows;
  experiment::NudgePlayers& players = inputs.players;
  players.group_names = assignment.groups;
  players.control_group = control;
  std::size_t missing = 0, first_missing = 0;
  for (std::size_t a = 0; a < assignment.players(); ++a) {
    const auto found = row_of.find(std::to_string(assignment.player_ids[a]));
    if (found == row_of.end()) {
      if (missing++ == 0) first_missing = a;
      continue;
    }
    rows.push_back(found->second);
    players.player_ids.push_back(assignment.player_ids[a]);
    players.group.push_back(assignment.group[a]);
  }
  if (missing > 0) {
    inputs.warnings.push_back(
        assignment_path + ": " + count_text(missing, "assigned player") +
        (missing == 1 ? " is not a player" : " are not players") +
        " of the logs at the cutoff (absent from players.csv, or signed up on "
        "or after " +
        inputs.cutoff + ") and left out (first: line " +
        std::to_string(assignment.lines[first_missing]) + ", player " +
        std::to_string(assignment.player_ids[first_missing]) + ")");
  }
  if (rows.empty()) {
    throw InputError(assignment_path + ": none of the assigned players is a player of " +
                     options.logs);
  }
  const std::string horizon = std::to_string(options.outcome_days);
  const auto take = [&](const std::string& column) {
    const std::vector<double>& values = table.column(column);
    std::vector<double> out;
    out.reserve(rows.size());
    for (std::size_t r : rows) out.push_back(values[r]);
    return out;
  };
  players.topup_amount = take("topup_amount_next_" + horizon + "d");
  players.topup_count = take("topup_count_next_" + horizon + "d");
  players.pre_topup_amount = take("topup_amount_last_30d");
  players.pre_topup_count = take("topup_count_last_30d");
  players.active_days_before = take("active_days_last_30d");
  for (double count : take("topup_count_last_90d")) players.paid_before.push_back(count > 0);

  const spend::FeatureMatrix all(table, artifact.features);
  inputs.features = std::make_unique<spend::FeatureMatrix>(all.select(rows));
  players.prediction = artifact.model->predict(*inputs.features).amount;

  std::string truth_path = options.truth;
  if (truth_path.empty()) {
    const fs::path candidate = fs::path(options.logs) / "nudge_truth.csv";
    if (fs::exists(candidate)) truth_path = candidate.string();
  }
  if (!truth_path.empty() && truth_path != "none") {
    const auto truth = read_truth(truth_path);
    std::size_t without = 0;
    for (std::int64_t id : players.player_ids) {
      const auto found = truth.find(id);
      if (found == truth.end()) {
        ++without;
        players.true_effect.push_back(std::numeric_limits<double>::quiet_NaN());
      } else {
        players.true_effect.push_back(found->second);
      }
    }
    if (without > 0) {
      inputs.warnings.push_back(truth_path + ": no true effect for " +
                                count_text(without, "analysed player") +
                                "; the comparison with the truth is left out");
      players.true_effect.clear();
    } else {
      inputs.truth_path = truth_path;
      // The generator gives control players nudge_a's effect (manifest.json: control_truth).
      if (manifest.value("generator", "") == "playsight generate")
        players.control_truth_group = "nudge_a";
    }
  }
  return inputs;
}

}  // namespace playsight::tasks
