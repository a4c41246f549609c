#pragma once
// Uplift models: who responds to a nudge? They rank players by their expected response so that
// the next nudge can go to those most likely to respond, and the Qini curve says on held-out
// players how much better that ranking is than a random one (and than the true effects, when a
// generator knows them).
//
//   T-learner  mu1 fitted on treated players, mu0 on control players; uplift(x) = mu1 - mu0.
//   X-learner  the T-learner's models impute each training player's effect (treated: y - mu0(x),
//              control: mu1(x) - y); tau1 and tau0 are fitted to those imputed effects and
//              combined as uplift = g tau0 + (1 - g) tau1, g = the treated share (the propensity,
//              constant in a randomised experiment). It borrows strength from the larger group,
//              which helps when the effect is simpler than the outcome.
//
// The learner is the caller's (a function that fits rows of the caller's feature matrix and
// predicts other rows), so this part does not depend on a particular model library; `playsight
// effect` passes gradient-boosted trees (spend's XGBoost wrapper).
//
// Qini curve (Radcliffe): held-out players sorted by predicted uplift, best first; at each cut
// k, Q(k) = Y_t(k) - Y_c(k) n_t(k) / n_c(k), the extra outcome in the top k over what the control
// players of the top k suggest. The random ranking's curve is the straight line from 0 to Q(N).
// Qini coefficient = mean over the curve's points of (Q(k) - the line) / n_t(N): KRW (or the
// outcome's unit) per treated held-out player, 0 for a random ranking. The random baseline is
// also measured: the coefficient's mean and standard deviation over random permutations, which
// shows how far from 0 noise alone moves it on this many players.
//
// Thread-safety: as thread-safe as the learner. Cost: 4 learner fits (X-learner) + O(n log n).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace playsight::experiment {

// Fits a regression on train_rows (indices into the caller's feature matrix) with targets y_train
// and returns its predictions for predict_rows, in that order.
using UpliftLearner = std::function<std::vector<double>(std::span<const std::size_t> train_rows,
                                                        std::span<const double> y_train,
                                                        std::span<const std::size_t> predict_rows)>;

struct QiniCurve {
  std::vector<double> share;  // targeted share of held-out players, 0 .. 1
  std::vector<double> qini;   // Q(k) at that share
  double coefficient = 0;     // mean (Q - random line) / treated players
};

// rows: held-out players (any order); score: higher = target first (one per row); outcome and
// treated per row. points: the number of cuts (>= 2).
QiniCurve qini_curve(std::span<const double> score, std::span<const double> outcome,
                     std::span<const std::uint8_t> treated, std::size_t points = 101);

struct UpliftOptions {
  double held_out_share = 0.3;  // players kept out of every fit, to evaluate on
  std::uint64_t seed = 1;       // of the held-out split and the random rankings
  std::size_t random_rankings = 50;
  std::size_t points = 101;
};

struct UpliftModelResult {
  std::string name;  // "t_learner", "x_learner"
  QiniCurve curve;
  std::vector<double> held_out_uplift;  // predicted uplift per held-out player
  // The held-out players in the top 20% by predicted uplift vs the other 80%: the raw difference
  // in means in each (what targeting would have gained).
  double top_fifth_effect = 0;
  double other_effect = 0;
};

struct UpliftResult {
  std::vector<std::size_t> held_out_rows;  // into the caller's rows
  std::vector<UpliftModelResult> models;   // T-learner, then X-learner
  double random_coefficient_mean = 0;
  double random_coefficient_sd = 0;
  QiniCurve random_curve;  // the straight line, for charts
  bool has_oracle = false;
  QiniCurve oracle;  // ranking by the true effect (when given)
};

// rows: the caller's feature-matrix rows of this nudge's and the control group's players;
// outcome, treated and (optional, may be empty) true_effect are per entry of rows. Throws
// InputError when the held-out share is not in (0, 1) or a group has fewer than 10 players in
// the training or held-out part.
UpliftResult fit_uplift(std::span<const std::size_t> rows, std::span<const double> outcome,
                        std::span<const std::uint8_t> treated, std::span<const double> true_effect,
                        const UpliftLearner& learner, const UpliftOptions& options = {});

}  // namespace playsight::experiment
