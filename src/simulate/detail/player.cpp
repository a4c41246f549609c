#include "simulate/detail/player.h"

#include <algorithm>
#include <cmath>

#include "simulate/detail/rates.h"

namespace playsight::simulate::detail {
namespace {

double sigmoid(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

// Accounts opened over the two years before the cutoff; a launch rush at the start.
constexpr Days kAccountAgeDays = 730;
constexpr double kLaunchRushShare = 0.12;

// The levers of the population's overall shape (calibrated against the targets in the tests):
// share of payers, activity of payers and of the others, and how often payers top up.
constexpr double kPayerLogit = -0.15;
constexpr double kActivityLogit = -4.0;
constexpr double kPayerActivityLogit = -2.0;
constexpr double kPayerVisitBoost = 2.0;
constexpr double kPaydayShare = 0.9;         // payers with a monthly payday
constexpr double kTopupsPerMonthLog = -0.3;  // top-ups a month besides the payday: median 0.74

// Taste clusters (fashion, fighter, collector, gambler, generalist) by gender F, M, U.
constexpr std::array<std::array<double, kTasteClusterCount>, 3> kTasteByGender{{
    {0.40, 0.08, 0.22, 0.10, 0.20},
    {0.12, 0.32, 0.16, 0.20, 0.20},
    {0.20, 0.20, 0.20, 0.20, 0.20},
}};

// An index drawn with probability proportional to its weight (weights summing to 1).
template <std::size_t N>
int pick(Rng& rng, const std::array<double, N>& weights) {
  double u = rng.uniform();
  for (std::size_t i = 0; i + 1 < N; ++i) {
    if (u < weights[i]) return static_cast<int>(i);
    u -= weights[i];
  }
  return static_cast<int>(N - 1);
}

// Day of the month of a payer's payday: Korean paydays cluster on the 25th and the 10th.
int draw_payday(Rng& rng) {
  const double u = rng.uniform();
  if (u < 0.35) return 25;
  if (u < 0.55) return 10;
  if (u < 0.65) return 15;
  if (u < 0.70) return 1;
  if (u < 0.75) return 21;
  return 1 + static_cast<int>(rng.below(28));
}

char draw_gender(Rng& rng) {
  const double u = rng.uniform();
  return u < 0.57 ? 'M' : u < 0.93 ? 'F' : 'U';
}

Days draw_signup_day(Rng& rng, Days cutoff) {
  const Days first = cutoff - kAccountAgeDays;
  if (bernoulli(rng, kLaunchRushShare)) {
    return std::min(cutoff - 1, first + static_cast<Days>(exponential(rng, 1.0 / 20.0)));
  }
  return first + static_cast<Days>(rng.below(kAccountAgeDays));
}

// The first day the player is gone, or kNever if they outlast the logs. Newcomers often leave
// within days; after that the hazard falls with engagement, account age and money spent.
Days draw_churn_day(Rng& rng, const World& world, Days signup, double engagement, bool payer) {
  const Days first_day = std::max(signup, world.log_start);
  Days churn = kNever;
  if (signup >= world.log_start && bernoulli(rng, 0.25)) {
    churn = signup + 1 + static_cast<Days>(exponential(rng, 1.0 / 6.0));
  } else {
    const double tenure_years = static_cast<double>(world.cutoff - signup) / 365.0;
    const double mean_life_days =
        800.0 * std::exp(0.55 * engagement + 0.35 * tenure_years + (payer ? 1.0 : 0.0));
    churn = first_day + 1 + static_cast<Days>(exponential(rng, 1.0 / mean_life_days));
  }
  return churn >= world.log_end ? kNever : churn;
}

// What the traits are drawn from: centred age (decades from 29) and two correlated factors.
struct LatentFactors {
  double age = 0;
  double engagement = 0;
  double propensity = 0;  // to pay; correlates 0.6 with engagement
};

// Whether the player pays at all (a minority) and from which day; returns whether they pay.
bool draw_paying_from(Rng& rng, const World& world, const LatentFactors& factors, Player& player) {
  const double tenure_years = static_cast<double>(world.cutoff - player.signup_day) / 365.0;
  const double pay_logit = kPayerLogit + 1.3 * factors.propensity + 0.25 * factors.age +
                           (tenure_years > 0.5 ? 0.2 : 0.0);
  if (!bernoulli(rng, sigmoid(pay_logit))) return false;
  // Most payers pay from the start; some convert during the logs (the label window included).
  const Days first_day = std::max(player.signup_day, world.log_start);
  const auto span = static_cast<std::uint64_t>(world.log_end - first_day);
  const Days converts = first_day + static_cast<Days>(rng.below(span));
  player.paying_from = bernoulli(rng, 0.12) ? converts : player.signup_day;
  return true;
}

// How often and how long the player plays. Payers are the engaged players who come back every
// week, and their activity varies less: hardly any payer drops in only once a month.
void draw_play_habits(Rng& rng, const LatentFactors& factors, bool payer, Player& player) {
  const double noise = standard_normal(rng);
  player.activity =
      payer ? sigmoid(kPayerActivityLogit + 0.4 * factors.engagement - 0.2 * factors.age +
                      0.3 * noise)
            : sigmoid(kActivityLogit + 0.9 * factors.engagement - 0.3 * factors.age + 0.4 * noise);
  player.activity_trend = normal(rng, 0.0, 0.12);
  player.extra_sessions = (0.1 + 0.5 * player.activity) * lognormal(rng, 0.0, 0.3);
  player.session_log_mean = std::log(1'100.0) + 0.35 * factors.engagement - 0.1 * factors.age;
  player.session_log_sd = 0.85;
}

// Shop visits, top-up habits (payday, frequency, amounts, impulses), the regime change at the
// cutoff and the appetite for items. REQUIRES: play habits drawn.
void draw_spending_habits(Rng& rng, const LatentFactors& factors, bool payer, Player& player) {
  player.shop_visit_probability =
      sigmoid(-2.6 + 0.7 * factors.propensity + (payer ? kPayerVisitBoost : 0.0));
  // Big spenders also top up more often, which makes the spend heavy-tailed.
  const double scale_noise = standard_normal(rng);
  player.spend_scale = std::exp(std::log(5'500.0) + 0.25 * factors.age + 0.35 * factors.propensity +
                                1.25 * scale_noise);
  const bool has_payday = payer && bernoulli(rng, kPaydayShare);
  player.payday = has_payday ? draw_payday(rng) : 0;
  player.payday_topup_probability =
      has_payday ? sigmoid(2.0 + 0.5 * factors.propensity + 0.4 * standard_normal(rng)) : 0.0;
  // Other top-ups come a number of times a month whatever the activity: frequent players
  // spread them over more visits, occasional ones top up on most visits.
  const double topups_per_month = lognormal(
      rng,
      kTopupsPerMonthLog + (has_payday ? 0.0 : 0.6) + 0.2 * factors.propensity + 0.45 * scale_noise,
      0.5);
  const double visits_per_month = 30.0 * std::min(1.05 * player.activity, 0.97) *
                                  (1.0 + player.extra_sessions) * player.shop_visit_probability;
  player.topup_probability = std::min(0.9, topups_per_month / visits_per_month);
  const double impulsive = 0.015 * lognormal(rng, 0.0, 1.1);
  player.impulsiveness = payer ? std::min(0.35, impulsive) : 0.0;

  constexpr double kRegimeSpread = 0.45;
  player.label_multiplier = lognormal(rng, -0.5 * kRegimeSpread * kRegimeSpread, kRegimeSpread);
  player.label_topup_probability =
      regime_adjusted(player.topup_probability, player.label_multiplier);
  player.label_payday_topup_probability =
      regime_adjusted(player.payday_topup_probability, player.label_multiplier);
  player.purchase_appetite = beta(rng, 1.0, 6.0);
}

NudgeResponse draw_starter_offer_response(Rng& rng, const Player& player) {
  NudgeResponse response;
  if (bernoulli(rng, 0.03)) {  // put off by the pop-up
    response.topup_probability_factor = 0.85;
    return response;
  }
  const double low_spender = 1.0 / (1.0 + player.spend_scale / 11'000.0);
  const double respond = std::clamp(0.15 + 2.5 * player.activity, 0.0, 0.9) * low_spender;
  if (!bernoulli(rng, respond)) return response;
  response.topup_probability_added = 0.25 * rng.uniform(0.3, 1.7);
  return response;
}

NudgeResponse draw_bonus_cash_response(Rng& rng, const Player& player) {
  NudgeResponse response;
  if (bernoulli(rng, 0.04)) {
    response.topup_probability_factor = 0.85;
    return response;
  }
  const bool payer = player.paying_from != kNever;
  if (!bernoulli(rng, payer ? 0.6 : 0.05)) return response;
  response.amount_factor = 1.0 + rng.uniform(0.1, 0.8);
  return response;
}

void assign_experiment(const World& world, Player& player) {
  Rng rng(world.seed, static_cast<std::uint64_t>(player.id), kAssignmentStream);
  const double u = rng.uniform();
  if (u < world.control_share) {
    player.group = -1;
  } else {
    const double share = (u - world.control_share) / (1.0 - world.control_share);
    player.group =
        std::min(world.nudge_groups - 1,
                 static_cast<std::int64_t>(share * static_cast<double>(world.nudge_groups)));
  }
  player.exposure_time =
      world.cutoff * kSecondsPerDay + static_cast<Seconds>(rng.below(kSecondsPerDay));
  const std::int64_t nudge = std::max<std::int64_t>(player.group, 0);
  Rng response_rng(world.seed, static_cast<std::uint64_t>(player.id),
                   kNudgeStream + static_cast<std::uint64_t>(nudge));
  player.response = is_starter_offer(nudge) ? draw_starter_offer_response(response_rng, player)
                                            : draw_bonus_cash_response(response_rng, player);
}

}  // namespace

bool is_starter_offer(std::int64_t nudge_index) {
  return nudge_index % 2 == 0;
}

Player draw_player(const World& world, std::int64_t id) {
  Rng rng(world.seed, static_cast<std::uint64_t>(id), kTraitsStream);
  Player player;
  player.id = id;
  player.gender = draw_gender(rng);
  player.age = std::min(60, 14 + static_cast<int>(47.0 * beta(rng, 2.2, 4.5)));
  player.signup_day = draw_signup_day(rng, world.cutoff);
  LatentFactors factors;
  factors.age = (player.age - 29) / 10.0;
  factors.engagement = standard_normal(rng);
  factors.propensity = 0.6 * factors.engagement + 0.8 * standard_normal(rng);

  const bool payer = draw_paying_from(rng, world, factors, player);
  draw_play_habits(rng, factors, payer, player);
  draw_spending_habits(rng, factors, payer, player);
  player.churn_day = draw_churn_day(rng, world, player.signup_day, factors.engagement, payer);
  const int gender_row = player.gender == 'F' ? 0 : player.gender == 'M' ? 1 : 2;
  player.taste_cluster = pick(rng, kTasteByGender[static_cast<std::size_t>(gender_row)]);

  assign_experiment(world, player);
  return player;
}

}  // namespace playsight::simulate::detail
