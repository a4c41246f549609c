#include "experiment/average_effect.h"

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "core/error.h"
#include "experiment/detail/group_statistics.h"

namespace playsight::experiment {
namespace {

using detail::GroupMoments;

// Copies the raw means into an estimate computed on (possibly adjusted) outcomes.
void set_raw_means(EffectEstimate& result, std::span<const double> outcome,
                   std::span<const std::uint8_t> treated) {
  result.treatment_mean = detail::group_moments(outcome, treated, 1).mean;
  result.control_mean = detail::group_moments(outcome, treated, 0).mean;
}

// CUPED and CUPAC: Welch on y - theta (x - mean x), theta = cov(y, x) / var(x) over all players.
EffectEstimate covariate_adjusted_effect(std::string_view method, std::string_view covariate_name,
                                         std::span<const double> outcome,
                                         std::span<const std::uint8_t> treated,
                                         std::span<const double> covariate,
                                         const EffectOptions& options) {
  const std::string estimator = std::string(method) + " effect";
  detail::check_level(estimator, options.level);
  detail::check_outcome_and_groups(estimator, outcome, treated);
  detail::check_covariate(estimator, covariate_name, covariate, outcome.size());

  const double players = static_cast<double>(outcome.size());
  double outcome_sum = 0;
  double covariate_sum = 0;
  for (std::size_t i = 0; i < outcome.size(); ++i) {
    outcome_sum += outcome[i];
    covariate_sum += covariate[i];
  }
  const double outcome_mean = outcome_sum / players;
  const double covariate_mean = covariate_sum / players;
  double cross = 0;
  double covariate_squares = 0;
  for (std::size_t i = 0; i < outcome.size(); ++i) {
    const double covariate_deviation = covariate[i] - covariate_mean;
    cross += (outcome[i] - outcome_mean) * covariate_deviation;
    covariate_squares += covariate_deviation * covariate_deviation;
  }
  const double theta = cross / covariate_squares;

  std::vector<double> adjusted(outcome.size());
  for (std::size_t i = 0; i < outcome.size(); ++i) {
    adjusted[i] = outcome[i] - theta * (covariate[i] - covariate_mean);
  }
  EffectEstimate result =
      detail::welch_from_moments(estimator, detail::group_moments(adjusted, treated, 1),
                                 detail::group_moments(adjusted, treated, 0), options.level);
  result.method = std::string(method);
  result.theta = theta;
  set_raw_means(result, outcome, treated);

  const GroupMoments plain_treatment = detail::group_moments(outcome, treated, 1);
  const GroupMoments plain_control = detail::group_moments(outcome, treated, 0);
  const double plain_squared_error =
      plain_treatment.variance / static_cast<double>(plain_treatment.players) +
      plain_control.variance / static_cast<double>(plain_control.players);
  result.variance_reduction =
      plain_squared_error > 0
          ? 1 - result.standard_error * result.standard_error / plain_squared_error
          : 0;
  return result;
}

}  // namespace

EffectEstimate welch_effect(std::span<const double> outcome, std::span<const std::uint8_t> treated,
                            const EffectOptions& options) {
  const std::string_view estimator = "welch effect";
  detail::check_level(estimator, options.level);
  detail::check_outcome_and_groups(estimator, outcome, treated);
  EffectEstimate result =
      detail::welch_from_moments(estimator, detail::group_moments(outcome, treated, 1),
                                 detail::group_moments(outcome, treated, 0), options.level);
  result.method = "welch";
  result.treatment_mean = result.treatment_adjusted_mean;
  result.control_mean = result.control_adjusted_mean;
  return result;
}

EffectEstimate cuped_effect(std::span<const double> outcome, std::span<const std::uint8_t> treated,
                            std::span<const double> pre_period, const EffectOptions& options) {
  return covariate_adjusted_effect("cuped", "pre-period covariate", outcome, treated, pre_period,
                                   options);
}

EffectEstimate cupac_effect(std::span<const double> outcome, std::span<const std::uint8_t> treated,
                            std::span<const double> prediction, const EffectOptions& options) {
  return covariate_adjusted_effect("cupac", "model prediction", outcome, treated, prediction,
                                   options);
}

EffectEstimate relative_effect(const EffectEstimate& absolute) {
  const std::string estimator = "relative " + absolute.method + " effect";
  if (absolute.relative) {
    throw InputError(estimator + ": the estimate is already relative");
  }
  detail::check_level(estimator, absolute.level);
  const double treatment = absolute.treatment_adjusted_mean;
  const double control = absolute.control_adjusted_mean;
  if (control == 0 || !std::isfinite(control)) {
    throw InputError(estimator + ": the control mean is " + detail::number_text(control) +
                     "; a relative effect needs a finite, nonzero control mean");
  }
  EffectEstimate result = absolute;
  result.relative = true;
  result.estimate = (treatment - control) / control;
  // Delta method for treatment / control - 1 with independent group means.
  const double treatment_term = absolute.treatment_mean_standard_error / control;
  const double control_term =
      treatment * absolute.control_mean_standard_error / (control * control);
  result.standard_error = std::sqrt(treatment_term * treatment_term + control_term * control_term);
  result.degrees_of_freedom = std::numeric_limits<double>::infinity();
  const boost::math::normal standard_normal;
  const double quantile = boost::math::quantile(standard_normal, (1 + absolute.level) / 2);
  result.ci_low = result.estimate - quantile * result.standard_error;
  result.ci_high = result.estimate + quantile * result.standard_error;
  result.p_value =
      result.standard_error > 0
          ? 2 * boost::math::cdf(boost::math::complement(
                    standard_normal, std::abs(result.estimate) / result.standard_error))
          : (result.estimate == 0 ? 1.0 : 0.0);
  return result;
}

}  // namespace playsight::experiment
