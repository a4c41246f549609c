#include "experiment/detail/group_statistics.h"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdio>

#include "core/error.h"

namespace playsight::experiment::detail {

std::string number_text(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char text[64];
  std::snprintf(text, sizeof text, "%.10g", value);
  return text;
}

void check_level(std::string_view estimator, double level) {
  if (!(level > 0 && level < 1)) {
    throw InputError(std::string(estimator) + ": the confidence level is " + number_text(level) +
                     "; expected a number in (0, 1), e.g. 0.95");
  }
}

void check_outcome_and_groups(std::string_view estimator, std::span<const double> outcome,
                              std::span<const std::uint8_t> treated) {
  const std::string prefix = std::string(estimator) + ": ";
  if (outcome.size() != treated.size()) {
    throw InputError(prefix + std::to_string(outcome.size()) + " outcomes but " +
                     std::to_string(treated.size()) +
                     " group flags; expected one of each per player");
  }
  std::size_t treatment_players = 0;
  for (std::size_t i = 0; i < outcome.size(); ++i) {
    if (treated[i] > 1) {
      throw InputError(prefix + "the group flag of the player at position " + std::to_string(i) +
                       " is " + std::to_string(treated[i]) +
                       "; expected 1 (treatment) or 0 (control)");
    }
    if (!std::isfinite(outcome[i])) {
      throw InputError(prefix + "the outcome of the player at position " + std::to_string(i) +
                       " is " + number_text(outcome[i]) + "; expected a finite number");
    }
    treatment_players += treated[i];
  }
  const std::size_t control_players = outcome.size() - treatment_players;
  if (treatment_players < 2 || control_players < 2) {
    throw InputError(prefix + "the treatment group has " + std::to_string(treatment_players) +
                     " players and the control group " + std::to_string(control_players) +
                     "; expected at least 2 in each");
  }
}

void check_covariate(std::string_view estimator, std::string_view covariate_name,
                     std::span<const double> covariate, std::size_t players) {
  const std::string prefix = std::string(estimator) + ": ";
  if (covariate.size() != players) {
    throw InputError(prefix + std::to_string(covariate.size()) + " values of the " +
                     std::string(covariate_name) + " but " + std::to_string(players) +
                     " players; expected one per player");
  }
  for (std::size_t i = 0; i < covariate.size(); ++i) {
    if (!std::isfinite(covariate[i])) {
      throw InputError(prefix + "the " + std::string(covariate_name) +
                       " of the player at position " + std::to_string(i) + " is " +
                       number_text(covariate[i]) + "; expected a finite number");
    }
  }
  for (const double value : covariate) {
    if (value != covariate.front()) return;
  }
  throw InputError(prefix + "the " + std::string(covariate_name) + " is " +
                   number_text(covariate.front()) +
                   " for every player; a constant covariate cannot reduce variance");
}

GroupMoments group_moments(std::span<const double> values, std::span<const std::uint8_t> treated,
                           std::uint8_t group) {
  GroupMoments moments;
  double sum = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (treated[i] != group) continue;
    sum += values[i];
    ++moments.players;
  }
  moments.mean = sum / static_cast<double>(moments.players);
  double squares = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (treated[i] != group) continue;
    const double deviation = values[i] - moments.mean;
    squares += deviation * deviation;
  }
  moments.variance = squares / static_cast<double>(moments.players - 1);
  return moments;
}

EffectEstimate welch_from_moments(std::string_view estimator, const GroupMoments& treatment,
                                  const GroupMoments& control, double level) {
  const double treatment_squared_error =
      treatment.variance / static_cast<double>(treatment.players);
  const double control_squared_error = control.variance / static_cast<double>(control.players);
  const double squared_error = treatment_squared_error + control_squared_error;
  if (!(squared_error > 0)) {
    throw InputError(std::string(estimator) +
                     ": the outcome does not vary within either group (every treatment player " +
                     "has " + number_text(treatment.mean) + ", every control player " +
                     number_text(control.mean) + "); no interval can be computed");
  }
  EffectEstimate result;
  result.level = level;
  result.treatment_players = treatment.players;
  result.control_players = control.players;
  result.treatment_adjusted_mean = treatment.mean;
  result.control_adjusted_mean = control.mean;
  result.treatment_mean_standard_error = std::sqrt(treatment_squared_error);
  result.control_mean_standard_error = std::sqrt(control_squared_error);
  result.estimate = treatment.mean - control.mean;
  result.standard_error = std::sqrt(squared_error);
  // Welch-Satterthwaite: the t distribution whose variance matches that of the two-group SE².
  result.degrees_of_freedom =
      squared_error * squared_error /
      (treatment_squared_error * treatment_squared_error /
           static_cast<double>(treatment.players - 1) +
       control_squared_error * control_squared_error / static_cast<double>(control.players - 1));
  const boost::math::students_t distribution(result.degrees_of_freedom);
  const double quantile = boost::math::quantile(distribution, (1 + level) / 2);
  result.ci_low = result.estimate - quantile * result.standard_error;
  result.ci_high = result.estimate + quantile * result.standard_error;
  const double t = std::abs(result.estimate) / result.standard_error;
  result.p_value = 2 * boost::math::cdf(boost::math::complement(distribution, t));
  return result;
}

}  // namespace playsight::experiment::detail
