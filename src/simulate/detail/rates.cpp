#include "simulate/detail/rates.h"

#include <algorithm>
#include <cmath>

namespace playsight::simulate::detail {
namespace {

// Log-scale midpoints between neighbouring packages: the decision boundaries of package_for.
struct PackageBoundaries {
  std::array<double, kPackagesKrw.size() - 1> log_bound{};
  PackageBoundaries() {
    for (std::size_t k = 0; k + 1 < kPackagesKrw.size(); ++k) {
      log_bound[k] = 0.5 * (std::log(static_cast<double>(kPackagesKrw[k])) +
                            std::log(static_cast<double>(kPackagesKrw[k + 1])));
    }
  }
};
const PackageBoundaries kBoundaries;

// Players log in more on Friday and at the weekend. Monday first.
constexpr std::array<double, 7> kWeekdayFactor{0.92, 0.90, 0.92, 0.95, 1.08, 1.30, 1.28};
// Activity fades over the last weeks before a player leaves.
constexpr Days kFadeDays = 14;

// E[min(N, cap)] for N ~ Poisson(mean).
double expected_capped_poisson(double mean, int cap) {
  double probability = std::exp(-mean);  // P(N = 0)
  double shortfall = 0.0;                // sum over k < cap of (cap - k) P(N = k)
  for (int k = 0; k < cap; ++k) {
    shortfall += (cap - k) * probability;
    probability *= mean / (k + 1);
  }
  return cap - shortfall;
}

}  // namespace

std::int64_t package_for(double log_amount) {
  for (std::size_t k = 0; k < kBoundaries.log_bound.size(); ++k) {
    if (log_amount < kBoundaries.log_bound[k]) return kPackagesKrw[k];
  }
  return kPackagesKrw.back();
}

double expected_package(double scale, double spread) {
  const double center = std::log(scale);
  double expected = 0.0;
  double below = 0.0;  // P(log amount < lower boundary of package k)
  for (std::size_t k = 0; k < kPackagesKrw.size(); ++k) {
    const double upto = k + 1 < kPackagesKrw.size()
                            ? normal_cdf((kBoundaries.log_bound[k] - center) / spread)
                            : 1.0;
    expected += (upto - below) * static_cast<double>(kPackagesKrw[k]);
    below = upto;
  }
  return expected;
}

bool is_payday(const World& world, const Player& player, Days day) {
  return player.payday != 0 && day >= player.paying_from &&
         world.day_of_month_of(day) == player.payday;
}

double login_probability(const World& world, const Player& player, Days day) {
  if (day < player.signup_day || day >= player.churn_day) return 0.0;
  if (day == player.signup_day) return 1.0;  // they signed up to play
  const double trend =
      std::max(0.0, 1.0 + player.activity_trend * static_cast<double>(day - world.cutoff) / 30.0);
  double probability =
      player.activity * kWeekdayFactor[static_cast<std::size_t>((day + 3) % 7)] * trend;
  if (is_payday(world, player, day)) probability = std::max(probability, kPaydayLoginProbability);
  const Days days_left = player.churn_day - day;
  if (days_left < kFadeDays) {
    probability *= 0.35 + 0.65 * static_cast<double>(days_left) / static_cast<double>(kFadeDays);
  }
  return std::min(probability, kMaxLoginProbability);
}

double visit_probability(const World& world, const Player& player, Days day) {
  return is_payday(world, player, day) ? kPaydayVisitProbability : player.shop_visit_probability;
}

double regime_adjusted(double probability, double multiplier) {
  // The multiplier scales the rate -ln(1 - p) of which p is the one-visit chance.
  return std::min(kMaxTopupProbability, 1.0 - std::pow(1.0 - probability, multiplier));
}

double topup_probability(const World& world, const Player& player, Days day,
                         const NudgeResponse* nudge) {
  double probability = 0.0;
  if (day >= player.paying_from) {
    const bool payday = is_payday(world, player, day);
    if (day >= world.cutoff) {
      probability = payday ? player.label_payday_topup_probability : player.label_topup_probability;
    } else {
      probability = payday ? player.payday_topup_probability : player.topup_probability;
    }
  }
  if (nudge != nullptr) {
    probability =
        std::clamp(probability * nudge->topup_probability_factor + nudge->topup_probability_added,
                   0.0, kMaxTopupProbability);
  }
  return probability;
}

double impulse_probability(const Player& player, Days day) {
  return day >= player.paying_from ? player.impulsiveness : 0.0;
}

double nudged_session_share(const World& world, Seconds exposure, Days day) {
  const Days exposure_day = floor_div(exposure, kSecondsPerDay);
  if (day < exposure_day) return 0.0;
  if (day > exposure_day) return 1.0;
  // A session starts at hour h plus a uniform second of the hour.
  const Seconds into_day = exposure - exposure_day * kSecondsPerDay;
  double share = 0.0;
  for (std::size_t hour = 0; hour < 24; ++hour) {
    const Seconds hour_end = static_cast<Seconds>(hour + 1) * 3600;
    const Seconds seconds_after = std::clamp<Seconds>(hour_end - into_day, 0, 3600);
    share += world.session_hour_share[hour] * static_cast<double>(seconds_after) / 3600.0;
  }
  return share;
}

VisitTopups decide_visit_topups(const World& world, const Player& player, Days day,
                                const NudgeResponse* nudge, const VisitDraws& draws) {
  VisitTopups topups;
  const auto& u = draws.u;
  if (u[0] < topup_probability(world, player, day, nudge)) {
    const double scale = player.spend_scale * (nudge != nullptr ? nudge->amount_factor : 1.0);
    topups.regular_krw =
        package_for(std::log(scale) + kPackageSpread * normal_from_uniforms(u[1], u[2]));
  }
  if (u[3] < impulse_probability(player, day)) {
    topups.impulse_krw = package_for(std::log(player.spend_scale * kImpulseScaleFactor) +
                                     kImpulseSpread * normal_from_uniforms(u[4], u[5]));
  }
  return topups;  // u[6] times the top-ups within the visit
}

double expected_label_topups(const World& world, const Player& player, bool nudged) {
  const NudgeResponse* nudge = nudged ? &player.response : nullptr;
  const double sessions_per_login =
      1.0 + expected_capped_poisson(player.extra_sessions, kMaxExtraSessions);
  const double regular = expected_package(player.spend_scale, kPackageSpread);
  const double regular_nudged =
      nudged ? expected_package(player.spend_scale * nudge->amount_factor, kPackageSpread) : 0.0;
  const double impulse = expected_package(player.spend_scale * kImpulseScaleFactor, kImpulseSpread);
  double total = 0.0;
  for (Days day = world.cutoff; day < world.log_end; ++day) {
    const double login = login_probability(world, player, day);
    if (login == 0.0) continue;
    const double visits = login * sessions_per_login * visit_probability(world, player, day);
    const double impulse_part = impulse_probability(player, day) * impulse;
    const double per_visit =
        topup_probability(world, player, day, nullptr) * regular + impulse_part;
    double expected = per_visit;
    if (nudged) {
      const double share = nudged_session_share(world, player.exposure_time, day);
      const double per_nudged_visit =
          topup_probability(world, player, day, nudge) * regular_nudged + impulse_part;
      expected = share * per_nudged_visit + (1.0 - share) * per_visit;
    }
    total += visits * expected;
  }
  return total;
}

}  // namespace playsight::simulate::detail
