// `playsight generate`: writes a realistic, deterministic set of game logs (gamelog/generator.h).
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "core/error.h"
#include "core/time.h"
#include "gamelog/generator.h"

namespace playsight::cli {
namespace {

struct GenerateFlags {
  gamelog::GeneratorOptions options;
  std::string out;
  std::string cutoff = "2026-10-01";
};

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

void print_summary(const gamelog::GeneratorSummary& summary) {
  std::printf("Generated %lld players, %lld events (%s .. %s, cutoff %s) in %.1f s\n",
              static_cast<long long>(summary.players), static_cast<long long>(summary.events),
              format_date(summary.log_start).c_str(), format_date(summary.log_end - 1).c_str(),
              format_date(summary.cutoff).c_str(), summary.seconds);
  std::int64_t total_bytes = 0;
  for (const gamelog::GeneratedFile& file : summary.files) {
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

void run_generate(GenerateFlags& flags) {
  try {
    flags.options.cutoff = parse_date(flags.cutoff);
  } catch (const FieldError& error) {
    throw InputError(std::string("--cutoff: ") + error.what());
  }
  flags.options.output_folder = flags.out;
  print_summary(gamelog::generate_game_logs(flags.options));
}

}  // namespace

void add_generate_command(CLI::App& app) {
  auto flags = std::make_shared<GenerateFlags>();
  gamelog::GeneratorOptions& options = flags->options;
  CLI::App* command = app.add_subcommand(
      "generate",
      "Write realistic, deterministic game logs (players, items, logins, top-ups, purchases, "
      "shop visits, a nudge experiment and its true effects) for a synthetic population.");
  command->add_option("--out", flags->out, "Folder to write the files to (created if missing)")
      ->required();
  command->add_option("--players", options.players, "Number of players")->capture_default_str();
  command->add_option("--seed", options.seed, "Random seed: same seed, same files")
      ->capture_default_str();
  command
      ->add_option("--cutoff", flags->cutoff,
                   "YYYY-MM-DD: end of the history window, start of the label window and of "
                   "the nudge experiment")
      ->capture_default_str();
  command->add_option("--history-days", options.history_days, "Days of logs before the cutoff")
      ->capture_default_str();
  command
      ->add_option("--label-days", options.label_days,
                   "Days of logs after the cutoff (the window spend is predicted for)")
      ->capture_default_str();
  command
      ->add_option("--nudge-groups", options.nudge_groups,
                   "Number of nudge groups (nudge_a, nudge_b, ...) besides control")
      ->capture_default_str();
  command
      ->add_option("--control-share", options.control_share,
                   "Share of players in the control group; the rest split evenly")
      ->capture_default_str();
  command->add_option("--threads", options.threads, "Worker threads (0 = one per core)")
      ->capture_default_str();
  command->add_flag("--force", options.overwrite,
                    "Write into a non-empty folder, overwriting the generated files");
  command->callback([flags] { run_generate(*flags); });
}

}  // namespace playsight::cli
