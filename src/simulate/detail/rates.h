#pragma once
// The rates of the generative process, in one place so that the simulation (simulation.cpp) and
// the analytic expectations written to nudge_truth.csv use the very same formulas:
//   a day:    P(login) = activity x weekday factor x linear trend x fading before churn, or
//             kPaydayLoginProbability on a payer's payday; sessions = 1 + Poisson(extra_sessions);
//             each session visits the cash shop with P(visit_probability); session start hours
//             follow World::session_hour.
//   a visit:  a regular top-up with P(topup_probability) of a KRW package near the player's
//             scale, plus an impulse top-up with P(impulsiveness) of a bigger package. From the
//             cutoff the regular top-up rate -ln(1 - p) is multiplied by the player's regime
//             multiplier (Player::label_multiplier).
//             Each visit consumes exactly kTopupDrawsPerVisit numbers of the top-up stream, so
//             the worlds with and without the nudge share their random numbers.
// A nudge acts on the sessions that start at or after the exposure time.
#include <array>
#include <cstdint>

#include "core/random.h"
#include "simulate/detail/player.h"
#include "simulate/detail/world.h"

namespace playsight::simulate::detail {

// Top-up packages on sale in the shop (KRW).
inline constexpr std::array<std::int64_t, 7> kPackagesKrw{1'100,  3'300,  5'500,  11'000,
                                                          33'000, 55'000, 110'000};
inline constexpr double kPackageSpread = 0.55;      // sd of log amount around the scale
inline constexpr double kImpulseScaleFactor = 3.0;  // impulse top-ups are bigger ...
inline constexpr double kImpulseSpread = 0.8;       // ... and less predictable
inline constexpr double kMaxLoginProbability = 0.97;
inline constexpr double kMaxTopupProbability = 0.95;
inline constexpr int kMaxExtraSessions = 7;
inline constexpr double kPaydayLoginProbability = 0.9;
inline constexpr double kPaydayVisitProbability = 0.95;

// The package nearest to exp(log_amount) on a log scale.
std::int64_t package_for(double log_amount);
// E[package_for(log(scale) + spread * Z)], Z standard normal.
double expected_package(double scale, double spread);

// Whether `day` is the player's payday and they pay by then.
bool is_payday(const World& world, const Player& player, Days day);
double login_probability(const World& world, const Player& player, Days day);
// P(cash-shop visit | session on `day`).
double visit_probability(const World& world, const Player& player, Days day);
// A one-visit top-up probability after the regime change at the cutoff (rates.h top).
double regime_adjusted(double probability, double multiplier);
// P(regular top-up | visit on `day`); nudge = nullptr for the world without the nudge.
double topup_probability(const World& world, const Player& player, Days day,
                         const NudgeResponse* nudge);
double impulse_probability(const Player& player, Days day);
// Share of a day's sessions that start at or after `exposure` (0 before its day, 1 after).
double nudged_session_share(const World& world, Seconds exposure, Days day);

// The numbers of the top-up stream one visit consumes, and what they decide.
inline constexpr int kTopupDrawsPerVisit = 7;
struct VisitDraws {
  std::array<double, kTopupDrawsPerVisit> u{};
  static VisitDraws draw(Rng& rng) {
    VisitDraws draws;
    for (double& value : draws.u) value = rng.uniform();
    return draws;
  }
};
struct VisitTopups {
  std::int64_t regular_krw = 0;  // 0 = none
  std::int64_t impulse_krw = 0;
  std::int64_t total() const { return regular_krw + impulse_krw; }
};
VisitTopups decide_visit_topups(const World& world, const Player& player, Days day,
                                const NudgeResponse* nudge, const VisitDraws& draws);

// E[label-window top-ups | the player's latent state], with or without their nudge.
double expected_label_topups(const World& world, const Player& player, bool nudged);

}  // namespace playsight::simulate::detail
