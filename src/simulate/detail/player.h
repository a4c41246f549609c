#pragma once
// A generated player: demographics, the latent traits that drive their behaviour, their nudge
// assignment and their response to a nudge. draw_player is a pure function of (world, id): the
// same seed and id always give the same player, whatever thread draws it.
//
// Traits come from two correlated latent factors, engagement and propensity to pay; age and
// gender shift them mildly (younger players are more active, older ones pay more when they pay).
#include <cstdint>

#include "core/time.h"
#include "simulate/detail/world.h"

namespace playsight::simulate::detail {

inline constexpr Days kNever = 1'000'000'000;

// How a nudge changes the per-visit top-up process from exposure on. Identity: no response.
struct NudgeResponse {
  double topup_probability_factor = 1.0;  // multiplies P(top-up | visit); < 1 = put off
  double topup_probability_added = 0.0;   // then added (a starter offer converts non-payers)
  double amount_factor = 1.0;             // multiplies the spend scale of regular top-ups
};

// Kinds of nudge: even group indices (nudge_a, nudge_c, ...) are starter offers that raise the
// chance of a top-up, mostly for active low spenders; odd ones (nudge_b, ...) are bonus-cash
// offers on bigger packages that raise amounts, mostly for existing payers.
bool is_starter_offer(std::int64_t nudge_index);

struct Player {
  std::int64_t id = 0;
  char gender = 'U';  // F, M or U (not given)
  int age = 0;
  Days signup_day = 0;

  double activity = 0;        // P(login on a day) before weekday, trend and pre-churn fading
  double activity_trend = 0;  // relative change of activity per 30 days, around the cutoff
  double extra_sessions = 0;  // Poisson mean of sessions beyond the first on an active day
  double session_log_mean = 0, session_log_sd = 0;  // play seconds are lognormal
  double shop_visit_probability = 0;                // P(cash-shop visit | session)

  Days paying_from = kNever;     // first day on which the player may top up (kNever: never)
  double topup_probability = 0;  // P(top-up | visit) before the cutoff, once paying
  // Many payers top up on a day of the month (payday, a monthly pass running out): on that day
  // they log in and visit the shop with high probability and top up with this one. 0 = none.
  int payday = 0;
  double payday_topup_probability = 0;
  double spend_scale = 0;    // KRW: the package size the player gravitates to
  double impulsiveness = 0;  // P(an extra, bigger impulse top-up | visit), once paying
  // Regime change at the cutoff: multiplies the top-up rate -ln(1 - p); the two probabilities
  // above as they are from the cutoff on.
  double label_multiplier = 1;
  double label_topup_probability = 0;
  double label_payday_topup_probability = 0;
  double purchase_appetite = 0;  // P(buying items | visit with cash but without a top-up)
  Days churn_day = kNever;       // first day the player is gone
  int taste_cluster = 0;

  // Experiment: group -1 = control, else the nudge index; exposure within the cutoff day.
  std::int64_t group = -1;
  Seconds exposure_time = 0;
  // The response to the player's own group's nudge (nudge_a's for control players).
  NudgeResponse response;
};

Player draw_player(const World& world, std::int64_t id);

}  // namespace playsight::simulate::detail
