#pragma once
// Shared by the average-effect estimators: input checks with messages that name the input and
// the player's position, per-group moments, and the Welch interval from two groups' moments.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "experiment/average_effect.h"

namespace playsight::experiment::detail {

// A number for an error message ("NaN", "inf", or %.10g).
std::string number_text(double value);

// Throws InputError unless level is in (0, 1).
void check_level(std::string_view estimator, double level);

// Throws InputError unless outcome and treated have the same length, every flag is 0 or 1, every
// outcome is finite and each group has at least 2 players.
void check_outcome_and_groups(std::string_view estimator, std::span<const double> outcome,
                              std::span<const std::uint8_t> treated);

// Throws InputError unless the covariate has one finite value per player and is not constant.
void check_covariate(std::string_view estimator, std::string_view covariate_name,
                     std::span<const double> covariate, std::size_t players);

struct GroupMoments {
  std::size_t players = 0;
  double mean = 0;
  double variance = 0;  // sample variance, divisor players - 1
};

// Mean and sample variance of values[i] over the players with treated[i] == group (two passes).
GroupMoments group_moments(std::span<const double> values, std::span<const std::uint8_t> treated,
                           std::uint8_t group);

// The Welch estimate of treatment - control from the groups' moments of the (possibly adjusted)
// outcome; raw means, theta and variance_reduction are left for the caller. Throws InputError
// when both groups have zero variance (no interval exists).
EffectEstimate welch_from_moments(std::string_view estimator, const GroupMoments& treatment,
                                  const GroupMoments& control, double level);

}  // namespace playsight::experiment::detail
