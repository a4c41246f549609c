#pragma once
// The game-log generator behind `playsight generate`: writes a realistic, deterministic set of
// game logs (the files of gamelog/schema.h, plus nudge_truth.csv and manifest.json) for a
// synthetic population of players, so that every part of playsight can be run, tested and
// benchmarked without real player data.
//
// Timeline (days): log start = cutoff - history_days, the cutoff, log end = cutoff + label_days.
// Every event time lies in [log start, log end). The history window is what a spend model learns
// from; the label window is what it predicts. At the cutoff every player is assigned to "control"
// or a nudge group ("nudge_a", "nudge_b", ...) and exposed within the first day.
//
// Players are driven by latent traits (activity, propensity to pay, spend scale, churn day,
// impulsiveness, a regime change at the cutoff, taste for item categories, response to each
// nudge); demographics correlate mildly with them. See generator/player.h for the traits and
// generator/simulation.h for the day-by-day process.
//
// nudge_truth.csv (generator only) says, per player, what the nudge really did to the top-ups in
// the label window:
//   expected_topup_control_krw  E[label-window top-ups | latent state, not nudged]  (analytic)
//   expected_topup_nudged_krw   E[label-window top-ups | latent state, nudged]      (analytic)
//   true_effect_krw             their difference
//   realised_topup_control_krw  label-window top-ups simulated without the nudge
//   realised_topup_nudged_krw   the same with the nudge, from the same random numbers
// "The nudge" is the player's own group's; control players get nudge_a's (the effect they would
// have had in nudge_a). topups.csv holds the world the player lives in: nudged if assigned to a
// nudge group, not nudged in control.
//
// Determinism: the files depend only on the options other than threads and output_folder (each
// player's random streams are keyed by (seed, player id)); any thread count gives the same bytes.
#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace playsight::simulate {

// The nudge-truth file (not part of the ingestion schema: only the generator knows the truth).
inline constexpr std::string_view kNudgeTruthFile = "nudge_truth.csv";
inline constexpr std::array<std::string_view, 7> kNudgeTruthColumns{"player_id",
                                                                    "group",
                                                                    "expected_topup_control_krw",
                                                                    "expected_topup_nudged_krw",
                                                                    "true_effect_krw",
                                                                    "realised_topup_control_krw",
                                                                    "realised_topup_nudged_krw"};

// Each field is one flag of `playsight generate` (same name, dashes for underscores, except
// output_folder = --out and overwrite = --force); validation errors name the flag.
struct GeneratorOptions {
  std::int64_t players = 750'000;       // --players, 1 .. 50,000,000
  std::uint64_t seed = 42;              // --seed
  Days cutoff = 20727;                  // --cutoff, 2026-10-01; years 1990 .. 2199
  std::int64_t history_days = 120;      // --history-days, 1 .. 3650
  std::int64_t label_days = 30;         // --label-days, 1 .. 366
  std::int64_t nudge_groups = 2;        // --nudge-groups, 1 .. 26 (nudge_a .. nudge_z)
  double control_share = 0.5;           // --control-share, [0, 1]
  unsigned threads = 0;                 // --threads, 0 = one per core
  std::filesystem::path output_folder;  // --out, created when missing
  bool overwrite = false;               // --force: write into a non-empty folder
};

// Throws InputError naming the flag (e.g. "--players: ...") when an option is out of range.
void validate_generator_options(const GeneratorOptions& options);

// "nudge_a", "nudge_b", ... for group index 0, 1, ...
std::string nudge_group_name(std::int64_t index);

struct GeneratedFile {
  std::string name;        // file name inside the output folder
  std::int64_t rows = 0;   // data rows, without the header
  std::int64_t bytes = 0;  // file size
};

struct GeneratorSummary {
  std::filesystem::path output_folder;
  std::vector<GeneratedFile> files;  // in the order written, manifest.json last
  std::int64_t players = 0;
  std::int64_t events = 0;  // logins + shop visits + top-ups + purchases
  Days log_start = 0, cutoff = 0, log_end = 0;
  // Players who churned before the cutoff, and during the label window.
  std::int64_t churned_in_history = 0, churned_in_label = 0;
  // Label window, the world each player lives in: share of players with no top-up, and the
  // distribution of the top-up total among those with some.
  double non_payer_share = 0;
  std::int64_t label_payers = 0;
  double payer_mean_krw = 0, payer_median_krw = 0, payer_p90_krw = 0, payer_p99_krw = 0;
  double payer_max_krw = 0;
  double top_decile_spend_share = 0;  // share of label spend held by the top 10% of payers
  double seconds = 0;                 // wall time of the generation
};

// Writes the files into options.output_folder (created if missing). Throws InputError for bad
// options or a non-empty folder without options.overwrite (files of the same names are then
// overwritten; other files are left alone), Error for I/O failures. Shows a progress bar on
// stderr when it is a terminal.
GeneratorSummary generate_game_logs(const GeneratorOptions& options);

}  // namespace playsight::simulate
