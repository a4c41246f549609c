// playsight features: one row of features per player from a game log (or a transaction file).
#include "spend/features.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "core/error.h"
#include "core/table.h"
#include "core/time.h"
#include "playsight/version.h"
#include "spend/feature_catalog.h"

namespace playsight::cli {
namespace {

struct FeaturesFlags {
  std::string logs;
  std::string transactions;
  std::string cutoff;
  std::string out = "features.csv";
  std::string windows = "7,30,90";
  std::string label = "auto";
  std::string item_projection_in;
  bool no_item_groups = false;
  bool list = false;
  bool no_progress = false;
  std::string shard;
  spend::FeatureOptions options;
};

std::vector<int> parse_windows(const std::string& text) {
  std::vector<int> windows;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, ',')) {
    try {
      std::size_t used = 0;
      windows.push_back(std::stoi(part, &used));
      if (used != part.size()) throw std::invalid_argument(part);
    } catch (const std::exception&) {
      throw InputError("--windows: expected comma-separated day counts like 7,30,90, got '" + text +
                       "'");
    }
  }
  return windows;
}

// The cutoff written by `playsight generate` into the folder's manifest.json, if any.
std::string cutoff_from_manifest(const std::string& folder) {
  std::ifstream in(std::filesystem::path(folder) / "manifest.json");
  if (!in) return "";
  try {
    const auto manifest = nlohmann::json::parse(in);
    const auto cutoff = manifest.value("/dates/cutoff"_json_pointer, std::string());
    if (!cutoff.empty()) return cutoff;
  } catch (const nlohmann::json::exception&) {
  }
  return "";
}

std::string sibling_path(const std::string& out, const std::string& suffix) {
  std::filesystem::path path(out);
  return (path.parent_path() / (path.stem().string() + suffix)).string();
}

void list_features(const FeaturesFlags& flags) {
  spend::CatalogShape shape;
  shape.item_components = flags.no_item_groups ? 0 : flags.options.item_components;
  std::printf("%-32s %-13s %s\n", "feature", "group", "definition");
  for (const auto& spec : spend::feature_catalog(flags.options, shape)) {
    std::printf("%-32s %-13s %s\n", spec.name.c_str(), spec.group.c_str(), spec.definition.c_str());
  }
}

nlohmann::json report_json(const FeaturesFlags& flags, const spend::FeatureResult& result,
                           const std::string& out) {
  nlohmann::json report;
  report["kind"] = "playsight.features_report";
  report["playsight_version"] = kVersion;
  report["cutoff"] = format_date(flags.options.cutoff);
  report["observation_days"] = flags.options.observation_days;
  report["label_days"] = flags.options.label_days;
  report["output"] = out;
  report["rows"] = result.table.rows();
  report["columns"] = result.table.column_names;
  report["players_in_file"] = result.players_in_file;
  report["players_signed_up_after_cutoff"] = result.players_signed_up_after_cutoff;
  if (flags.options.shard_count > 1) {
    report["shard"] = {{"index", flags.options.shard_index},
                       {"count", flags.options.shard_count},
                       {"players_in_other_shards", result.players_in_other_shards}};
  }
  report["label"] = result.label_note;
  report["latest_event"] = format_timestamp(result.latest_event);
  report["seconds"] = result.seconds;
  for (const auto& file : result.files) {
    report["files"].push_back({{"path", file.path},
                               {"bytes", file.bytes},
                               {"rows_used", file.rows},
                               {"rows_outside_window", file.outside_window},
                               {"rows_skipped", file.skipped_rows},
                               {"skipped_examples", file.skipped_examples},
                               {"seconds", file.seconds}});
  }
  if (result.projection) {
    report["item_groups"]["explained_variance_ratio"] = result.projection->explained_variance_ratio;
    report["item_groups"]["items"] = result.projection->item_ids.size();
  }
  return report;
}

void print_summary(const spend::FeatureResult& result, const std::string& out,
                   const std::string& projection_out, const std::string& report_out) {
  std::uint64_t events = 0, skipped = 0;
  std::printf("%-40s %12s %12s %10s %8s\n", "file", "rows used", "outside", "skipped", "seconds");
  for (const auto& file : result.files) {
    std::printf("%-40s %12llu %12llu %10llu %8.2f\n",
                std::filesystem::path(file.path).filename().c_str(),
                static_cast<unsigned long long>(file.rows),
                static_cast<unsigned long long>(file.outside_window),
                static_cast<unsigned long long>(file.skipped_rows), file.seconds);
    events += file.rows + file.outside_window;
    skipped += file.skipped_rows;
    for (const auto& example : file.skipped_examples)
      std::printf("  skipped: %s\n", example.c_str());
  }
  std::printf("\n%zu players x %zu features in %.2f s (%.1f M rows/s)\n", result.table.rows(),
              result.table.column_names.size(), result.seconds,
              result.seconds > 0 ? static_cast<double>(events) / result.seconds / 1e6 : 0.0);
  if (result.players_signed_up_after_cutoff > 0) {
    std::printf(
        "%llu players signed up (or, in a transaction file, first bought) on or after the cutoff "
        "and are not in the table\n",
        static_cast<unsigned long long>(result.players_signed_up_after_cutoff));
  }
  if (skipped > 0)
    std::printf("%llu bad rows skipped (--skip-bad-rows)\n",
                static_cast<unsigned long long>(skipped));
  std::printf("label: %s\n", result.label_note.c_str());
  std::printf("features:     %s\n", out.c_str());
  if (!projection_out.empty()) std::printf("item groups:  %s\n", projection_out.c_str());
  std::printf("report:       %s\n", report_out.c_str());
}

void run_features(FeaturesFlags& flags) {
  spend::FeatureOptions& options = flags.options;
  options.windows = parse_windows(flags.windows);
  if (flags.label == "auto")
    options.label = spend::LabelMode::kAuto;
  else if (flags.label == "always")
    options.label = spend::LabelMode::kAlways;
  else if (flags.label == "never")
    options.label = spend::LabelMode::kNever;
  else
    throw InputError("--label: expected auto, always or never, got '" + flags.label + "'");
  options.item_groups = !flags.no_item_groups;
  options.item_projection_in = flags.item_projection_in;
  options.progress = !flags.no_progress;
  if (!flags.shard.empty()) {
    const auto slash = flags.shard.find('/');
    try {
      if (slash == std::string::npos) throw std::invalid_argument(flags.shard);
      options.shard_index = std::stoi(flags.shard.substr(0, slash));
      options.shard_count = std::stoi(flags.shard.substr(slash + 1));
    } catch (const std::exception&) {
      throw InputError("--shard " + quote_for_message(flags.shard) +
                       ": expected INDEX/COUNT, e.g. 0/8");
    }
  }

  if (flags.list) {
    spend::validate(options);
    list_features(flags);
    return;
  }
  if (flags.logs.empty() == flags.transactions.empty()) {
    throw InputError(
        "give either --logs FOLDER (a game log) or --transactions FILE (user_id,timestamp,amount)");
  }
  std::string cutoff = flags.cutoff;
  if (cutoff.empty() && !flags.logs.empty()) cutoff = cutoff_from_manifest(flags.logs);
  if (cutoff.empty())
    throw InputError("--cutoff YYYY-MM-DD is required (the date the features end at)");
  try {
    options.cutoff = parse_date(cutoff);
  } catch (const FieldError& error) {
    throw InputError(std::string("--cutoff: ") + error.what());
  }

  const spend::FeatureResult result =
      flags.logs.empty()
          ? spend::build_transaction_features(flags.transactions, options)
          : spend::build_player_features(gamelog::find_log_files(flags.logs), options);
  if (options.parse_only) {
    std::printf("parsed %zu players' events in %.2f s (--parse-only: nothing written)\n",
                result.table.rows(), result.seconds);
    return;
  }
  const auto parent = std::filesystem::path(flags.out).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  write_table_csv(result.table, flags.out, CsvWriteOptions{options.threads, 6});
  std::string projection_out;
  if (result.projection) {
    projection_out = sibling_path(flags.out, ".item_projection.json");
    spend::save_item_projection(*result.projection, projection_out);
  }
  const std::string report_out = sibling_path(flags.out, ".report.json");
  write_file(report_out, report_json(flags, result, flags.out).dump(2) + "\n");
  print_summary(result, flags.out, projection_out, report_out);
}

}  // namespace

void add_features_command(CLI::App& app) {
  auto flags = std::make_shared<FeaturesFlags>();
  CLI::App* command = app.add_subcommand(
      "features",
      "One row of features per player for a cutoff date: access, top-ups, purchases, cash shop, "
      "demographics, item groups (PCA), and the label (top-ups after the cutoff).");
  command->add_option("--logs", flags->logs,
                      "folder of game-log CSV files (see README: log schema)");
  command->add_option("--transactions", flags->transactions,
                      "a plain transaction file user_id,timestamp,amount instead of a game log");
  command->add_option("--cutoff", flags->cutoff,
                      "YYYY-MM-DD: features use events before it, the label events from it on "
                      "(default: the cutoff in the folder's manifest.json)");
  command->add_option("--out", flags->out, "feature table to write (CSV)")->capture_default_str();
  command
      ->add_option("--window-days", flags->options.observation_days,
                   "observation window W: days before the cutoff that features look at")
      ->capture_default_str();
  command
      ->add_option("--windows", flags->windows,
                   "sub-windows (days) for counts and sums; the last must equal --window-days")
      ->capture_default_str();
  command->add_option("--label-days", flags->options.label_days, "label horizon H in days")
      ->capture_default_str();
  command
      ->add_option("--label", flags->label,
                   "auto (only if the logs reach the end of the label window), always, never")
      ->capture_default_str();
  command
      ->add_option("--item-components", flags->options.item_components,
                   "number of item groups (PCA components)")
      ->capture_default_str();
  command
      ->add_option("--top-items", flags->options.top_items,
                   "the most-bought items that item groups are found among")
      ->capture_default_str();
  command->add_option(
      "--item-projection", flags->item_projection_in,
      "apply item groups saved by an earlier run (its .item_projection.json) instead of fitting");
  command->add_flag("--no-item-groups", flags->no_item_groups, "skip the item PCA columns");
  command->add_flag("--skip-bad-rows", flags->options.skip_bad_rows,
                    "count and report bad rows instead of stopping at the first");
  command->add_option("--threads", flags->options.threads, "worker threads (0 = one per core)")
      ->capture_default_str();
  command->add_flag("--parse-only", flags->options.parse_only,
                    "parse every field and compute nothing (to measure parsing alone)");
  command->add_flag("--list", flags->list, "print every feature with its definition and exit");
  command->add_flag("--no-progress", flags->no_progress, "no progress bars on stderr");
  command->add_option("--shard", flags->shard,
                      "INDEX/COUNT: only the players whose id hash falls in this shard (the "
                      "shards' tables concatenated are one run's)");
  command->callback([flags] { run_features(*flags); });
}

}  // namespace playsight::cli
