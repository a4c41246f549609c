#include "experiment/nudge_analysis.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "core/error.h"
#include "experiment/bootstrap.h"
#include "experiment/planning.h"

namespace playsight::experiment {
namespace {

void check_players(const NudgePlayers& players) {
  const std::size_t n = players.players();
  const auto check = [&](std::size_t size, const char* name) {
    if (size != n) {
      throw InputError(std::string("nudge analysis: ") + name + " has " + std::to_string(size) +
                       " entries for " + std::to_string(n) + " players");
    }
  };
  check(players.group.size(), "group");
  check(players.topup_amount.size(), "topup_amount");
  check(players.topup_count.size(), "topup_count");
  check(players.pre_topup_amount.size(), "pre_topup_amount");
  check(players.pre_topup_count.size(), "pre_topup_count");
  check(players.prediction.size(), "prediction");
  check(players.paid_before.size(), "paid_before");
  check(players.active_days_before.size(), "active_days_before");
  if (!players.true_effect.empty()) check(players.true_effect.size(), "true_effect");
  if (players.control_group >= players.group_names.size())
    throw InputError("nudge analysis: the control group index is out of range");
}

// The players of one comparison (a nudge group and control), as spans the estimators take.
struct Comparison {
  std::vector<std::size_t> players;  // indices into NudgePlayers
  std::vector<std::uint8_t> treated;

  std::vector<double> values(const std::vector<double>& all) const {
    std::vector<double> out;
    out.reserve(players.size());
    for (std::size_t i : players) out.push_back(all[i]);
    return out;
  }
  Comparison subset(const std::function<bool(std::size_t)>& keep) const {
    Comparison out;
    for (std::size_t k = 0; k < players.size(); ++k) {
      if (!keep(players[k])) continue;
      out.players.push_back(players[k]);
      out.treated.push_back(treated[k]);
    }
    return out;
  }
  std::size_t count(std::uint8_t flag) const {
    return static_cast<std::size_t>(std::count(treated.begin(), treated.end(), flag));
  }
};

std::vector<double> outcome_values(const NudgePlayers& players, Outcome outcome, bool pre) {
  const std::vector<double>& counts = pre ? players.pre_topup_count : players.topup_count;
  switch (outcome) {
    case Outcome::kAmount:
      return pre ? players.pre_topup_amount : players.topup_amount;
    case Outcome::kCount:
      return counts;
    case Outcome::kProbability: {
      std::vector<double> any(counts.size());
      for (std::size_t i = 0; i < counts.size(); ++i) any[i] = counts[i] > 0 ? 1 : 0;
      return any;
    }
  }
  return {};
}

double mean_over(const Comparison& comparison, const std::vector<double>& values,
                 std::uint8_t flag) {
  double sum = 0;
  double count = 0;
  for (std::size_t k = 0; k < comparison.players.size(); ++k) {
    if (comparison.treated[k] != flag) continue;
    sum += values[comparison.players[k]];
    count += 1;
  }
  return count > 0 ? sum / count : 0;
}

OutcomeEffects outcome_effects(const NudgePlayers& players, const Comparison& comparison,
                               Outcome outcome, const AnalysisOptions& options) {
  const std::vector<double> y = comparison.values(outcome_values(players, outcome, false));
  const std::vector<double> pre = comparison.values(outcome_values(players, outcome, true));
  const std::vector<double> prediction = comparison.values(players.prediction);
  const EffectOptions effect_options{options.level};
  OutcomeEffects result;
  result.outcome = outcome;
  result.absolute.push_back(welch_effect(y, comparison.treated, effect_options));
  result.absolute.push_back(cuped_effect(y, comparison.treated, pre, effect_options));
  result.absolute.push_back(cupac_effect(y, comparison.treated, prediction, effect_options));
  BootstrapOptions bootstrap;
  bootstrap.level = options.level;
  bootstrap.resamples = options.bootstrap_resamples;
  bootstrap.seed = options.seed;
  bootstrap.threads = options.threads;
  result.absolute.push_back(bootstrap_effect(y, comparison.treated, bootstrap));
  for (std::size_t m = 0; m < 3; ++m)
    result.relative.push_back(relative_effect(result.absolute[m]));
  if (outcome == Outcome::kAmount && !players.true_effect.empty())
    result.true_effect = mean_over(comparison, players.true_effect, 1);
  return result;
}

// An estimate, or the reason it cannot be made.
template <class Estimate>
std::optional<EffectEstimate> try_estimate(Estimate estimate, std::string& note) {
  try {
    return estimate();
  } catch (const InputError& error) {
    if (note.empty()) note = error.what();
    return std::nullopt;
  }
}

SegmentEffect segment_effect(const NudgePlayers& players, const Comparison& part,
                             std::string segment, std::string level,
                             const AnalysisOptions& options) {
  SegmentEffect result;
  result.segment = std::move(segment);
  result.level = std::move(level);
  result.treatment_players = part.count(1);
  result.control_players = part.count(0);
  const EffectOptions effect_options{options.level};
  const std::vector<double> y = part.values(players.topup_amount);
  const std::vector<double> prediction = part.values(players.prediction);
  const std::vector<double> any =
      part.values(outcome_values(players, Outcome::kProbability, false));
  result.welch =
      try_estimate([&] { return welch_effect(y, part.treated, effect_options); }, result.note);
  result.cupac = try_estimate(
      [&] { return cupac_effect(y, part.treated, prediction, effect_options); }, result.note);
  result.probability =
      try_estimate([&] { return welch_effect(any, part.treated, effect_options); }, result.note);
  if (!players.true_effect.empty() && result.treatment_players > 0)
    result.true_effect = mean_over(part, players.true_effect, 1);
  return result;
}

// About the quartiles of active days in 30 days of the game's players (a third of them have none).
std::string active_days_level(double days) {
  if (days <= 0) return "0";
  if (days <= 2) return "1-2";
  if (days <= 5) return "3-5";
  return "6-30";
}

std::vector<SegmentEffect> segment_effects(const NudgePlayers& players,
                                           const Comparison& comparison,
                                           const PlayerResponses& responses,
                                           const AnalysisOptions& options) {
  std::vector<SegmentEffect> segments;
  for (const char* level : {"yes", "no"}) {
    const bool paid = level[0] == 'y';
    segments.push_back(segment_effect(players, comparison.subset([&](std::size_t i) {
      return (players.paid_before[i] != 0) == paid;
    }),
                                      "paid before", level, options));
  }
  for (const char* level : {"0", "1-2", "3-5", "6-30"}) {
    segments.push_back(segment_effect(players, comparison.subset([&](std::size_t i) {
      return active_days_level(players.active_days_before[i]) == level;
    }),
                                      "active days before", level, options));
  }
  // Deciles of the model's predicted spend: the bins of the per-player responses.
  const std::size_t bins = responses.bin_upper_prediction.size();
  for (std::size_t b = 0; b < bins; ++b) {
    segments.push_back(segment_effect(
        players, comparison.subset([&](std::size_t i) { return responses.bin[i] == b; }),
        "predicted spend decile", std::to_string(b + 1), options));
  }
  return segments;
}

std::vector<PlanningRow> planning_rows(const GroupAnalysis& group, const AnalysisOptions& options,
                                       std::size_t control_players) {
  std::vector<PlanningRow> rows;
  for (const OutcomeEffects& effects : group.outcomes) {
    const EffectEstimate& welch = effects.absolute[0];
    PlanningRow row;
    row.outcome = effects.outcome;
    row.control_mean = welch.control_mean;
    row.outcome_standard_deviation =
        welch.control_mean_standard_error * std::sqrt(static_cast<double>(control_players));
    PlanningOptions plan;
    plan.alpha = 1 - options.level;
    plan.power = options.plan_power;
    plan.outcome_standard_deviation = row.outcome_standard_deviation;
    if (!(plan.outcome_standard_deviation > 0)) continue;
    const double n_treatment = options.plan_players_per_group > 0
                                   ? static_cast<double>(options.plan_players_per_group)
                                   : static_cast<double>(welch.treatment_players);
    const double n_control = options.plan_players_per_group > 0
                                 ? static_cast<double>(options.plan_players_per_group)
                                 : static_cast<double>(welch.control_players);
    row.players_per_group = n_treatment;
    const auto reduction = [](const EffectEstimate& e) {
      return std::clamp(e.variance_reduction, 0.0, 0.999);
    };
    row.mde_plain = minimum_detectable_effect(n_control, n_treatment, plan);
    plan.variance_reduction = reduction(effects.absolute[1]);
    row.mde_cuped = minimum_detectable_effect(n_control, n_treatment, plan);
    plan.variance_reduction = reduction(effects.absolute[2]);
    row.mde_cupac = minimum_detectable_effect(n_control, n_treatment, plan);
    row.target_effect = options.plan_relative_effect * std::abs(row.control_mean);
    if (row.target_effect > 0) {
      plan.variance_reduction = 0;
      row.players_plain = required_sample_size(row.target_effect, plan).treatment_players;
      plan.variance_reduction = reduction(effects.absolute[1]);
      row.players_cuped = required_sample_size(row.target_effect, plan).treatment_players;
      plan.variance_reduction = reduction(effects.absolute[2]);
      row.players_cupac = required_sample_size(row.target_effect, plan).treatment_players;
    }
    rows.push_back(row);
  }
  return rows;
}

}  // namespace

std::string outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kAmount:
      return "topup_amount";
    case Outcome::kProbability:
      return "topup_probability";
    case Outcome::kCount:
      return "topup_count";
  }
  return "";
}

std::string outcome_unit(Outcome outcome) {
  switch (outcome) {
    case Outcome::kAmount:
      return "KRW";
    case Outcome::kProbability:
      return "share";
    case Outcome::kCount:
      return "top-ups";
  }
  return "";
}

NudgeAnalysis analyse_nudges(const NudgePlayers& players, const AnalysisOptions& options,
                             const UpliftLearner* learner) {
  check_players(players);
  NudgeAnalysis analysis;
  analysis.control_group = players.group_names[players.control_group];
  analysis.response_level = options.response.level;
  analysis.group_names = players.group_names;
  analysis.player_ids = players.player_ids;
  analysis.player_group = players.group;
  std::vector<std::uint8_t> is_control(players.players());
  for (std::size_t i = 0; i < players.players(); ++i)
    is_control[i] = players.group[i] == players.control_group;
  analysis.control_players =
      static_cast<std::size_t>(std::count(is_control.begin(), is_control.end(), 1));
  if (analysis.control_players < 2) {
    throw InputError("nudge analysis: the control group '" + analysis.control_group + "' has " +
                     std::to_string(analysis.control_players) +
                     (analysis.control_players == 1 ? " player" : " players") +
                     "; at least 2 are needed");
  }
  analysis.responses =
      player_responses(players.topup_amount, players.prediction, is_control, options.response);
  analysis.control_response = summarise_responses(analysis.responses, is_control);

  for (std::uint32_t g = 0; g < players.group_names.size(); ++g) {
    if (g == players.control_group) continue;
    GroupAnalysis group;
    group.group = players.group_names[g];
    Comparison comparison;
    std::vector<std::uint8_t> member(players.players(), 0);
    for (std::size_t i = 0; i < players.players(); ++i) {
      if (players.group[i] != g && !is_control[i]) continue;
      comparison.players.push_back(i);
      comparison.treated.push_back(players.group[i] == g);
      member[i] = players.group[i] == g;
    }
    group.players = comparison.count(1);
    if (group.players < 2) {
      throw InputError("nudge analysis: the nudge group '" + group.group + "' has " +
                       std::to_string(group.players) +
                       (group.players == 1 ? " player" : " players") + "; at least 2 are needed");
    }
    for (Outcome outcome : kOutcomes)
      group.outcomes.push_back(outcome_effects(players, comparison, outcome, options));
    group.segments = segment_effects(players, comparison, analysis.responses, options);
    group.response = summarise_responses(analysis.responses, member);
    group.planning = planning_rows(group, options, analysis.control_players);
    group.uplift_outcome = options.uplift_outcome;
    if (learner != nullptr && options.uplift) {
      try {
        const std::vector<double> y =
            comparison.values(outcome_values(players, options.uplift_outcome, false));
        const std::vector<double> truth =
            players.true_effect.empty() || players.control_truth_group != group.group
                ? std::vector<double>{}
                : comparison.values(players.true_effect);
        group.uplift = fit_uplift(comparison.players, y, comparison.treated, truth, *learner,
                                  options.uplift_options);
      } catch (const InputError& error) {
        group.uplift_note = error.what();
      }
    } else {
      group.uplift_note = "uplift models not requested";
    }
    analysis.groups.push_back(std::move(group));
  }
  if (analysis.groups.empty()) {
    throw InputError("nudge analysis: there is no nudge group besides the control group '" +
                     analysis.control_group + "'");
  }
  return analysis;
}

}  // namespace playsight::experiment
