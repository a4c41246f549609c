// playsight features: one row of features per player from a game log (or a transaction file).
#include "spend/features.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.h"
#include "core/table.h"
#include "core/time.h"
#include "gamelog/log_folder.h"
#include "playsight/version.h"
#include "spend/feature_catalog.h"
#include "tasks/catalog.h"

namespace playsight::tasks {
namespace {

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

std::string sibling_path(const std::string& out, const std::string& suffix) {
  std::filesystem::path path(out);
  return (path.parent_path() / (path.stem().string() + suffix)).string();
}

void list_features(const spend::FeatureOptions& options) {
  spend::CatalogShape shape;
  shape.item_components = options.item_groups ? options.item_components : 0;
  std::printf("%-32s %-13s %s\n", "feature", "group", "definition");
  for (const auto& spec : spend::feature_catalog(options, shape)) {
    std::printf("%-32s %-13s %s\n", spec.name.c_str(), spec.group.c_str(), spec.definition.c_str());
  }
}

nlohmann::json report_json(const spend::FeatureOptions& options, const spend::FeatureResult& result,
                           const std::string& out) {
  nlohmann::json report;
  report["kind"] = "playsight.features_report";
  report["playsight_version"] = kVersion;
  report["cutoff"] = format_date(options.cutoff);
  report["observation_days"] = options.observation_days;
  report["label_days"] = options.label_days;
  report["output"] = out;
  report["rows"] = result.table.rows();
  report["columns"] = result.table.column_names;
  report["players_in_file"] = result.players_in_file;
  report["players_signed_up_after_cutoff"] = result.players_signed_up_after_cutoff;
  if (options.shard_count > 1) {
    report["shard"] = {{"index", options.shard_index},
                       {"count", options.shard_count},
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

Result run_features(const Values& values, Progress& progress) {
  spend::FeatureOptions options;
  options.observation_days = static_cast<int>(values.integer("window-days"));
  options.windows = parse_windows(values.text("windows"));
  options.label_days = static_cast<int>(values.integer("label-days"));
  const std::string& label = values.text("label");
  options.label = label == "always"  ? spend::LabelMode::kAlways
                  : label == "never" ? spend::LabelMode::kNever
                                     : spend::LabelMode::kAuto;
  options.item_components = static_cast<int>(values.integer("item-components"));
  options.top_items = static_cast<int>(values.integer("top-items"));
  options.item_groups = !values.flag("no-item-groups");
  options.item_projection_in = values.text("item-projection");
  options.skip_bad_rows = values.flag("skip-bad-rows");
  options.threads = values.count("threads");
  options.parse_only = values.flag("parse-only");
  options.progress = progress.bars();
  const std::string& shard = values.text("shard");
  if (!shard.empty()) {
    const auto slash = shard.find('/');
    try {
      if (slash == std::string::npos) throw std::invalid_argument(shard);
      options.shard_index = std::stoi(shard.substr(0, slash));
      options.shard_count = std::stoi(shard.substr(slash + 1));
    } catch (const std::exception&) {
      throw InputError("--shard " + quote_for_message(shard) + ": expected INDEX/COUNT, e.g. 0/8");
    }
  }

  if (values.flag("list")) {
    spend::validate(options);
    list_features(options);
    return {};
  }
  const std::string& logs = values.text("logs");
  const std::string& transactions = values.text("transactions");
  if (logs.empty() == transactions.empty()) {
    throw InputError(
        "give either --logs FOLDER (a game log) or --transactions FILE (user_id,timestamp,amount)");
  }
  std::string cutoff = values.text("cutoff");
  if (cutoff.empty() && !logs.empty()) cutoff = gamelog::manifest_cutoff(logs);
  if (cutoff.empty())
    throw InputError("--cutoff YYYY-MM-DD is required (the date the features end at)");
  try {
    options.cutoff = parse_date(cutoff);
  } catch (const FieldError& error) {
    throw InputError(std::string("--cutoff: ") + error.what());
  }

  const spend::FeatureResult result =
      logs.empty() ? spend::build_transaction_features(transactions, options)
                   : spend::build_player_features(gamelog::find_log_files(logs), options);
  if (options.parse_only) {
    std::printf("parsed %zu players' events in %.2f s (--parse-only: nothing written)\n",
                result.table.rows(), result.seconds);
    return {};
  }
  const std::string& out = values.text("out");
  const auto parent = std::filesystem::path(out).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  write_table_csv(result.table, out, CsvWriteOptions{options.threads, 6});
  Result written{{{"features", out}}};
  std::string projection_out;
  if (result.projection) {
    projection_out = sibling_path(out, ".item_projection.json");
    spend::save_item_projection(*result.projection, projection_out);
    written.written.push_back({"item_projection", projection_out});
  }
  const std::string report_out = sibling_path(out, ".report.json");
  write_file(report_out, report_json(options, result, out).dump(2) + "\n");
  written.written.push_back({"report", report_out});
  print_summary(result, out, projection_out, report_out);
  return written;
}

}  // namespace

std::vector<Task> features_tasks() {
  const spend::FeatureOptions defaults;
  return {{
      .name = "features",
      .part = "spend",
      .summary = "One row of features per player for a cutoff date: access, top-ups, purchases, "
                 "cash shop, demographics, item groups (PCA), and the label (top-ups after the "
                 "cutoff).",
      .options =
          {Option::path("logs",
                        "folder of game-log CSV files (log schema: docs/guides/gamelog.md)"),
           Option::path("transactions",
                        "a plain transaction file user_id,timestamp,amount instead of a game log"),
           Option::date("cutoff",
                        "features use events before it, the label events from it on (default: "
                        "the cutoff in the folder's manifest.json)"),
           shared::out("feature table to write (CSV)", "features.csv"),
           Option::integer("window-days",
                           "observation window W: days before the cutoff that features look at",
                           defaults.observation_days)
               .in_unit("days"),
           Option::text("windows",
                        "sub-windows (days) for counts and sums; the last must equal --window-days",
                        "7,30,90"),
           Option::integer("label-days", "label horizon H", defaults.label_days).in_unit("days"),
           Option::choice("label",
                          "write the label column (auto: only if the logs reach the end of the "
                          "label window)",
                          {"auto", "always", "never"}, "auto"),
           Option::integer("item-components", "number of item groups (PCA components)",
                           defaults.item_components),
           Option::integer("top-items", "the most-bought items that item groups are found among",
                           defaults.top_items),
           Option::path("item-projection",
                        "apply item groups saved by an earlier run (its .item_projection.json) "
                        "instead of fitting"),
           Option::flag("no-item-groups", "skip the item PCA columns"),
           Option::flag("skip-bad-rows",
                        "count and report bad rows instead of stopping at the first"),
           shared::threads(),
           Option::flag("parse-only",
                        "parse every field and compute nothing (to measure parsing alone)"),
           Option::flag("list", "print every feature with its definition and exit"),
           Option::text("shard",
                        "INDEX/COUNT: only the players whose id hash falls in this shard (the "
                        "shards' tables concatenated are one run's)")},
      .run = run_features,
      .outputs = {{"features", "features.csv", "", "one row per player (the --out file)"},
                  {"report", "features.report.json", "playsight.features_report",
                   "what was read, skipped and built (beside --out)"},
                  {"item_projection", "features.item_projection.json", "",
                   "the item groups, to apply to another cutoff (--item-projection)"}},
      .examples = {{"playsight features --logs logs --out features.csv",
                    "features at the cutoff of the logs' manifest.json"}},
      .job = true,
  }};
}

}  // namespace playsight::tasks
