#pragma once
// Percentile bootstrap interval of the difference in means: a check on the Welch interval when
// the outcome has a heavy tail (a few whales' top-ups), where the t interval's normal
// approximation of the mean may not yet hold.
//
// Each replicate resamples the treatment players with replacement within the treatment group and
// the control players within the control group (the group sizes stay fixed, as in the
// experiment) and takes the difference of the resampled means. Replicate b draws from its own
// stream Rng(seed, b), so the result depends on the seed and the data only, never on the thread
// count. Interval: the (1 - level) / 2 and (1 + level) / 2 quantiles of the replicates (linear
// interpolation between order statistics). Standard error: the replicates' standard deviation.
// p-value: twice the smaller share of replicates on either side of 0, at most 1 (about the
// smallest 1 - level at which the percentile interval would exclude 0); 0 means below
// 1 / resamples. degrees_of_freedom is infinity (no t distribution is involved).
//
// Same input rules and errors as average_effect.h, plus InputError for resamples < 2.
// Cost O(resamples * players), spread over `threads` (0 = one per core).
#include <cstddef>
#include <cstdint>
#include <span>

#include "experiment/average_effect.h"

namespace playsight::experiment {

struct BootstrapOptions {
  double level = 0.95;           // in (0, 1)
  std::size_t resamples = 2000;  // at least 2
  std::uint64_t seed = 1;
  unsigned threads = 0;  // 0 = one per core
};

// method "bootstrap"; estimate, means and group standard errors as welch_effect (so that
// relative_effect applies), interval, standard error and p-value from the replicates.
EffectEstimate bootstrap_effect(std::span<const double> outcome,
                                std::span<const std::uint8_t> treated,
                                const BootstrapOptions& options = {});

}  // namespace playsight::experiment
