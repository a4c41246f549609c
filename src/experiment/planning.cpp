#include "experiment/planning.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <string>
#include <utility>

#include "core/error.h"
#include "experiment/detail/group_statistics.h"

namespace playsight::experiment {
namespace {

using detail::number_text;

void check_open_unit(std::string_view name, double value, std::string_view example) {
  if (!(value > 0 && value < 1)) {
    throw InputError("experiment planning: " + std::string(name) + " is " + number_text(value) +
                     "; expected a number in (0, 1), e.g. " + std::string(example));
  }
}

void check_positive(std::string_view name, double value) {
  if (!(std::isfinite(value) && value > 0)) {
    throw InputError("experiment planning: " + std::string(name) + " is " + number_text(value) +
                     "; expected a finite number > 0");
  }
}

void check_options(const PlanningOptions& options) {
  check_open_unit("alpha", options.alpha, "0.05");
  check_open_unit("power", options.power, "0.8");
  check_positive("the outcome standard deviation", options.outcome_standard_deviation);
  if (!(options.variance_reduction >= 0 && options.variance_reduction < 1)) {
    throw InputError("experiment planning: the variance reduction is " +
                     number_text(options.variance_reduction) +
                     "; expected a number in [0, 1) (0 for the plain difference in means)");
  }
  check_positive("the allocation ratio (treatment per control player)",
                 options.treatment_per_control);
}

// (z_{1 - alpha/2} + z_{power}) * sigma * sqrt(1 - r): the MDE for 1/n_c + 1/n_t = 1.
double effect_scale(const PlanningOptions& options) {
  const boost::math::normal standard_normal;
  const double z_sum = boost::math::quantile(standard_normal, 1 - options.alpha / 2) +
                       boost::math::quantile(standard_normal, options.power);
  return z_sum * options.outcome_standard_deviation * std::sqrt(1 - options.variance_reduction);
}

}  // namespace

double minimum_detectable_effect(double control_players, double treatment_players,
                                 const PlanningOptions& options) {
  check_options(options);
  for (const auto& [name, players] :
       {std::pair{"control", control_players}, std::pair{"treatment", treatment_players}}) {
    if (!(std::isfinite(players) && players >= 2)) {
      throw InputError("experiment planning: the " + std::string(name) + " group has " +
                       number_text(players) + " players; expected at least 2");
    }
  }
  return effect_scale(options) * std::sqrt(1 / control_players + 1 / treatment_players);
}

SampleSize required_sample_size(double effect, const PlanningOptions& options) {
  check_options(options);
  check_positive("the effect to detect", effect);
  const double ratio = options.treatment_per_control;
  const double scale = effect_scale(options) / effect;
  SampleSize size;
  size.exact_control_players = scale * scale * (1 + 1 / ratio);
  size.exact_treatment_players = ratio * size.exact_control_players;
  if (!(std::max(size.exact_control_players, size.exact_treatment_players) < 1e15)) {
    throw InputError("experiment planning: detecting an effect of " + number_text(effect) +
                     " needs " + number_text(size.exact_control_players) +
                     " control players; the effect is too small for any experiment");
  }
  // The 1e-9 slack keeps a value that is whole up to rounding error from gaining a player.
  const auto round_up = [](double players) {
    return static_cast<std::size_t>(std::max(2.0, std::ceil(players * (1 - 1e-12) - 1e-9)));
  };
  size.control_players = round_up(size.exact_control_players);
  size.treatment_players = round_up(size.exact_treatment_players);
  return size;
}

}  // namespace playsight::experiment
