#pragma once
// The analysis of a nudge experiment, from per-player arrays to every number `playsight effect`
// reports: for each nudge group against the control group and each outcome (30-day top-up amount,
// top-up probability, top-up count), the average effect by Welch, CUPED (pre-period covariate),
// CUPAC (a spend model's prediction as covariate) and a bootstrap check, absolute and relative;
// the effect per segment; every player's response with its interval; the uplift models and their
// Qini curves; and the planning of the next experiment (minimum detectable effect, sample size).
//
// The inputs are a plain data contract (NudgePlayers): the caller builds the outcomes, pre-period
// values, predictions and segments from the logs and a model (the CLI does it with spend's
// features and models), so this part depends on no other part.
//
// Errors: InputError when the arrays differ in length, the control group or a nudge group has
// fewer than 2 players, or an estimator cannot run (see average_effect.h). Segment estimates that
// cannot run (too few players, a constant outcome) are reported as not estimable with the reason,
// never dropped silently.
// Thread-safety: pure function of its inputs (the learner must be callable from this thread).
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "experiment/average_effect.h"
#include "experiment/player_response.h"
#include "experiment/uplift.h"

namespace playsight::experiment {

enum class Outcome { kAmount, kProbability, kCount };
inline constexpr std::array<Outcome, 3> kOutcomes{Outcome::kAmount, Outcome::kProbability,
                                                  Outcome::kCount};
// "topup_amount", "topup_probability", "topup_count".
std::string outcome_name(Outcome outcome);
// "KRW", "share", "top-ups".
std::string outcome_unit(Outcome outcome);

// One entry per analysed player in every vector.
struct NudgePlayers {
  std::vector<std::string> group_names;
  std::uint32_t control_group = 0;  // index into group_names
  std::vector<std::int64_t> player_ids;
  std::vector<std::uint32_t> group;      // index into group_names
  std::vector<double> topup_amount;      // in the outcome window
  std::vector<double> topup_count;       // in the outcome window (probability: count > 0)
  std::vector<double> pre_topup_amount;  // in the pre-period (same length, before the exposure)
  std::vector<double> pre_topup_count;
  std::vector<double> prediction;          // the model's top-up amount for the outcome window
  std::vector<std::uint8_t> paid_before;   // any top-up in the observation window
  std::vector<double> active_days_before;  // active days in the 30 days before the cutoff
  // Optional (empty): the generator's expected effect in KRW of the player's own group's nudge;
  // for control players, that of the group named here ("" = unknown), the only group whose
  // uplift ranking can then be compared with the true effects.
  std::vector<double> true_effect;
  std::string control_truth_group;

  std::size_t players() const { return player_ids.size(); }
};

struct AnalysisOptions {
  double level = 0.95;
  std::size_t bootstrap_resamples = 2000;
  std::uint64_t seed = 1;
  unsigned threads = 0;
  ResponseOptions response;
  // Planning: the relative effect (of the control mean) to size the next experiment for, and
  // the group size to state the minimum detectable effect at (0 = this experiment's sizes).
  double plan_relative_effect = 0.05;
  double plan_power = 0.8;
  std::size_t plan_players_per_group = 0;
  bool uplift = true;
  UpliftOptions uplift_options;
  Outcome uplift_outcome = Outcome::kAmount;
};

// The estimates of one nudge group against control on one outcome.
struct OutcomeEffects {
  Outcome outcome = Outcome::kAmount;
  std::vector<EffectEstimate> absolute;  // welch, cuped, cupac, bootstrap
  std::vector<EffectEstimate> relative;  // welch, cuped, cupac (of the control mean)
  std::optional<double> true_effect;     // amount only, when the truth was given
};

struct SegmentEffect {
  std::string segment;  // "paid before", "active days before", "predicted spend decile"
  std::string level;    // "yes", "1-7", "3", ...
  std::size_t treatment_players = 0;
  std::size_t control_players = 0;
  std::optional<EffectEstimate> welch;        // amount
  std::optional<EffectEstimate> cupac;        // amount
  std::optional<EffectEstimate> probability;  // Welch on the top-up probability
  std::optional<double> true_effect;
  std::string note;  // why an estimate is missing
};

struct PlanningRow {
  Outcome outcome = Outcome::kAmount;
  double outcome_standard_deviation = 0;  // control group
  double control_mean = 0;
  double players_per_group = 0;  // the group size the MDE is for
  double mde_plain = 0, mde_cuped = 0, mde_cupac = 0;
  double target_effect = 0;  // plan_relative_effect x control mean
  std::size_t players_plain = 0, players_cuped = 0, players_cupac = 0;  // per group
};

struct GroupAnalysis {
  std::string group;
  std::size_t players = 0;
  std::vector<OutcomeEffects> outcomes;
  std::vector<SegmentEffect> segments;
  ResponseSummary response;
  std::vector<PlanningRow> planning;
  Outcome uplift_outcome = Outcome::kAmount;
  std::optional<UpliftResult> uplift;
  std::string uplift_note;  // why there is no uplift result
};

struct NudgeAnalysis {
  std::string control_group;
  std::size_t control_players = 0;
  std::vector<GroupAnalysis> groups;  // one per nudge group, in the order of group_names
  // Per player, in the input's order: id, group (index into group_names) and response.
  std::vector<std::string> group_names;
  std::vector<std::int64_t> player_ids;
  std::vector<std::uint32_t> player_group;
  PlayerResponses responses;         // every player (control: the placebo)
  ResponseSummary control_response;  // what chance alone gives
  double response_level = 0.95;
};

// learner may be null (no uplift models); its rows are indices of players (NudgePlayers order),
// so the caller keeps its feature matrix in that order.
NudgeAnalysis analyse_nudges(const NudgePlayers& players, const AnalysisOptions& options,
                             const UpliftLearner* learner);

}  // namespace playsight::experiment
