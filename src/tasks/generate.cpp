// `playsight generate`: writes a realistic, deterministic set of game logs (gamelog/generator.h).
#include <cstdio>
#include <memory>
#include <string>

#include "core/error.h"
#include "core/time.h"
#include "gamelog/schema.h"
#include "simulate/generator.h"
#include "tasks/catalog.h"

namespace playsight::tasks {
namespace {

std::string human_bytes(std::int64_t bytes) {
  char text[32];
  if (bytes >= 1'000'000) {
    std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
  } else if (bytes >= 1'000) {
    std::snprintf(text, sizeof text, "%.1f kB", static_cast<double>(bytes) / 1e3);
  } else {
    std::snprintf(text, sizeof text, "%lld B", static_cast<long long>(bytes));
  }
  return text;
}

void print_summary(const simulate::GeneratorSummary& summary) {
  std::printf("Generated %lld players, %lld events (%s .. %s, cutoff %s) in %.1f s\n",
              static_cast<long long>(summary.players), static_cast<long long>(summary.events),
              format_date(summary.log_start).c_str(), format_date(summary.log_end - 1).c_str(),
              format_date(summary.cutoff).c_str(), summary.seconds);
  std::int64_t total_bytes = 0;
  for (const simulate::GeneratedFile& file : summary.files) {
    std::printf("  %-16s %12lld rows  %10s\n", file.name.c_str(), static_cast<long long>(file.rows),
                human_bytes(file.bytes).c_str());
    total_bytes += file.bytes;
  }
  std::printf("  %-16s %12s       %10s\n", "total", "", human_bytes(total_bytes).c_str());
  std::printf(
      "Label window: %.1f%% of players top up nothing; payers (%lld) top up mean %.0f, "
      "median %.0f, p90 %.0f, p99 %.0f KRW; the top 10%% of payers hold %.0f%%\n",
      100.0 * summary.non_payer_share, static_cast<long long>(summary.label_payers),
      summary.payer_mean_krw, summary.payer_median_krw, summary.payer_p90_krw,
      summary.payer_p99_krw, 100.0 * summary.top_decile_spend_share);
  std::printf("Churned: %lld before the cutoff, %lld in the label window\n",
              static_cast<long long>(summary.churned_in_history),
              static_cast<long long>(summary.churned_in_label));
  std::printf("Files are in %s\n", summary.output_folder.string().c_str());
}

Result run_generate(const Values& values, Progress&) {
  simulate::GeneratorOptions options;
  options.cutoff = parse_date(values.text("cutoff"));
  options.output_folder = values.text("out");
  options.players = values.integer("players");
  options.seed = static_cast<std::uint64_t>(values.integer("seed"));
  options.history_days = values.integer("history-days");
  options.label_days = values.integer("label-days");
  options.nudge_groups = values.integer("nudge-groups");
  options.control_share = values.number("control-share");
  options.threads = values.count("threads");
  options.overwrite = values.flag("force");
  const simulate::GeneratorSummary summary = simulate::generate_game_logs(options);
  print_summary(summary);
  Result result;
  for (const simulate::GeneratedFile& file : summary.files)
    result.written.push_back({file.name, (summary.output_folder / file.name).string()});
  return result;
}

}  // namespace

std::vector<Task> generate_tasks() {
  const simulate::GeneratorOptions defaults;
  return {{
      .name = "generate",
      .part = "gamelog",
      .summary = "Write realistic, deterministic game logs (players, items, logins, top-ups, "
                 "purchases, shop visits, a nudge experiment and its true effects) for a "
                 "synthetic population.",
      .options =
          {shared::out("folder to write the files to (created if missing)").needed(),
           Option::integer("players", "number of players", defaults.players),
           shared::seed("random seed: same seed, same files",
                        static_cast<long long>(defaults.seed)),
           Option::date("cutoff",
                        "end of the history window, start of the label window and of the nudge "
                        "experiment",
                        format_date(defaults.cutoff)),
           Option::integer("history-days", "days of logs before the cutoff", defaults.history_days),
           Option::integer("label-days",
                           "days of logs after the cutoff (the window spend is predicted for)",
                           defaults.label_days),
           Option::integer("nudge-groups",
                           "number of nudge groups (nudge_a, nudge_b, ...) besides control",
                           defaults.nudge_groups),
           Option::number("control-share",
                          "share of players in the control group; the rest split evenly",
                          defaults.control_share),
           shared::threads(),
           Option::flag("force", "write into a non-empty folder, overwriting the generated files")},
      .run = run_generate,
      .outputs = {{"manifest", std::string(gamelog::kManifestFile), "",
                   "what was generated, with its options"}},
      .examples = {{"playsight generate --out logs --players 20000 --seed 7",
                    "20,000 players' logs in logs/ (a few seconds)"}},
      .job = true,
  }};
}

}  // namespace playsight::tasks
