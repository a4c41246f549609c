#include "experiment/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/error.h"
#include "core/parallel.h"
#include "core/random.h"
#include "experiment/detail/group_statistics.h"

namespace playsight::experiment {
namespace {

std::vector<double> group_values(std::span<const double> outcome,
                                 std::span<const std::uint8_t> treated, std::uint8_t group) {
  std::vector<double> values;
  for (std::size_t i = 0; i < outcome.size(); ++i) {
    if (treated[i] == group) values.push_back(outcome[i]);
  }
  return values;
}

double resampled_mean(const std::vector<double>& values, Rng& rng) {
  double sum = 0;
  for (std::size_t i = 0; i < values.size(); ++i) sum += values[rng.below(values.size())];
  return sum / static_cast<double>(values.size());
}

// Quantile p of sorted values, linear interpolation between order statistics (R's type 7).
double sorted_quantile(const std::vector<double>& sorted, double p) {
  const double position = p * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

}  // namespace

EffectEstimate bootstrap_effect(std::span<const double> outcome,
                                std::span<const std::uint8_t> treated,
                                const BootstrapOptions& options) {
  const std::string_view estimator = "bootstrap effect";
  detail::check_level(estimator, options.level);
  if (options.resamples < 2) {
    throw InputError(std::string(estimator) + ": " + std::to_string(options.resamples) +
                     " resamples; expected at least 2 (2000 is the default)");
  }
  detail::check_outcome_and_groups(estimator, outcome, treated);
  EffectEstimate result = welch_effect(outcome, treated, EffectOptions{options.level});
  result.method = "bootstrap";

  const std::vector<double> treatment = group_values(outcome, treated, 1);
  const std::vector<double> control = group_values(outcome, treated, 0);
  std::vector<double> replicates(options.resamples);
  parallel_for(options.resamples, options.threads, [&](std::size_t replicate, unsigned) {
    Rng rng(options.seed, replicate);
    const double treatment_mean = resampled_mean(treatment, rng);
    replicates[replicate] = treatment_mean - resampled_mean(control, rng);
  });

  const double count = static_cast<double>(replicates.size());
  double sum = 0;
  for (const double value : replicates) sum += value;
  const double mean = sum / count;
  double squares = 0;
  std::size_t at_or_below_zero = 0;
  std::size_t at_or_above_zero = 0;
  for (const double value : replicates) {
    squares += (value - mean) * (value - mean);
    at_or_below_zero += value <= 0;
    at_or_above_zero += value >= 0;
  }
  result.standard_error = std::sqrt(squares / (count - 1));
  result.degrees_of_freedom = std::numeric_limits<double>::infinity();
  result.p_value =
      std::min(1.0, 2 * static_cast<double>(std::min(at_or_below_zero, at_or_above_zero)) / count);

  std::sort(replicates.begin(), replicates.end());
  result.ci_low = sorted_quantile(replicates, (1 - options.level) / 2);
  result.ci_high = sorted_quantile(replicates, (1 + options.level) / 2);
  return result;
}

}  // namespace playsight::experiment
