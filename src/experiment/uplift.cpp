#include "experiment/uplift.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.h"
#include "core/random.h"

namespace playsight::experiment {
namespace {

// Difference in means of the outcome, treated minus control, over positions [begin, end) of
// `order`; 0 when a group is empty there.
double raw_effect(std::span<const std::size_t> order, std::size_t begin, std::size_t end,
                  std::span<const double> outcome, std::span<const std::uint8_t> treated) {
  double sums[2] = {0, 0};
  double counts[2] = {0, 0};
  for (std::size_t k = begin; k < end; ++k) {
    const std::size_t i = order[k];
    sums[treated[i]] += outcome[i];
    counts[treated[i]] += 1;
  }
  if (counts[0] == 0 || counts[1] == 0) return 0;
  return sums[1] / counts[1] - sums[0] / counts[0];
}

std::vector<std::size_t> ranking(std::span<const double> score) {
  std::vector<std::size_t> order(score.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
  return order;
}

QiniCurve curve_of_order(std::span<const std::size_t> order, std::span<const double> outcome,
                         std::span<const std::uint8_t> treated, std::size_t points) {
  const std::size_t n = order.size();
  // Cumulative sums after each player of the ranking.
  std::vector<double> treated_sum(n + 1, 0), control_sum(n + 1, 0);
  std::vector<double> treated_count(n + 1, 0), control_count(n + 1, 0);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = order[k];
    treated_sum[k + 1] = treated_sum[k] + (treated[i] ? outcome[i] : 0);
    control_sum[k + 1] = control_sum[k] + (treated[i] ? 0 : outcome[i]);
    treated_count[k + 1] = treated_count[k] + (treated[i] ? 1 : 0);
    control_count[k + 1] = control_count[k] + (treated[i] ? 0 : 1);
  }
  QiniCurve curve;
  for (std::size_t p = 0; p < points; ++p) {
    const double share = static_cast<double>(p) / static_cast<double>(points - 1);
    const auto k = static_cast<std::size_t>(std::llround(share * static_cast<double>(n)));
    const double q = control_count[k] > 0
                         ? treated_sum[k] - control_sum[k] * treated_count[k] / control_count[k]
                         : treated_sum[k];
    curve.share.push_back(share);
    curve.qini.push_back(q);
  }
  const double end = curve.qini.back();
  double area = 0;
  for (std::size_t p = 0; p < points; ++p) area += curve.qini[p] - curve.share[p] * end;
  curve.coefficient =
      treated_count[n] > 0 ? area / static_cast<double>(points) / treated_count[n] : 0;
  return curve;
}

template <class T>
std::vector<T> pick(std::span<const T> values, std::span<const std::size_t> positions) {
  std::vector<T> out;
  out.reserve(positions.size());
  for (std::size_t p : positions) out.push_back(values[p]);
  return out;
}

}  // namespace

QiniCurve qini_curve(std::span<const double> score, std::span<const double> outcome,
                     std::span<const std::uint8_t> treated, std::size_t points) {
  if (score.size() != outcome.size() || treated.size() != outcome.size())
    throw InputError("Qini curve: score, outcome and group flags must have one value per player");
  if (points < 2) throw InputError("Qini curve: at least 2 points are needed");
  const std::vector<std::size_t> order = ranking(score);
  return curve_of_order(order, outcome, treated, points);
}

UpliftResult fit_uplift(std::span<const std::size_t> rows, std::span<const double> outcome,
                        std::span<const std::uint8_t> treated, std::span<const double> true_effect,
                        const UpliftLearner& learner, const UpliftOptions& options) {
  if (!(options.held_out_share > 0 && options.held_out_share < 1))
    throw InputError("uplift: the held-out share must be in (0, 1)");
  if (outcome.size() != rows.size() || treated.size() != rows.size() ||
      (!true_effect.empty() && true_effect.size() != rows.size()))
    throw InputError("uplift: rows, outcomes, group flags and true effects differ in length");

  // Positions (into rows) of the four parts: training / held-out x control / treated. The split
  // is a fixed draw per position from the seed, so reruns give the same parts.
  Rng rng(options.seed, 0x75706c696674);  // "uplift"
  std::vector<std::size_t> train[2], held_out;
  for (std::size_t p = 0; p < rows.size(); ++p) {
    if (rng.uniform() < options.held_out_share)
      held_out.push_back(p);
    else
      train[treated[p]].push_back(p);
  }
  std::size_t held_out_groups[2] = {0, 0};
  for (std::size_t p : held_out) ++held_out_groups[treated[p]];
  for (int g = 0; g < 2; ++g) {
    const char* name = g ? "treated" : "control";
    if (train[g].size() < 10 || held_out_groups[g] < 10) {
      throw InputError(std::string("uplift: too few ") + name + " players (" +
                       std::to_string(train[g].size()) + " to fit, " +
                       std::to_string(held_out_groups[g]) +
                       " held out); at least 10 of each are needed");
    }
  }

  const auto rows_of = [&](std::span<const std::size_t> positions) {
    return pick(rows, positions);
  };
  const std::vector<std::size_t> held_rows = rows_of(held_out);
  const std::vector<double> held_outcome = pick(outcome, std::span<const std::size_t>(held_out));
  const std::vector<std::uint8_t> held_treated =
      pick(treated, std::span<const std::size_t>(held_out));

  // T-learner: both outcome models predict the held-out players and each other's training group.
  std::vector<double> y_train[2];
  std::vector<std::size_t> train_rows[2];
  for (int g = 0; g < 2; ++g) {
    y_train[g] = pick(outcome, std::span<const std::size_t>(train[g]));
    train_rows[g] = rows_of(train[g]);
  }
  const auto predict_both = [&](int g) {
    // Held-out players first, then the other group's training players.
    std::vector<std::size_t> targets = held_rows;
    targets.insert(targets.end(), train_rows[1 - g].begin(), train_rows[1 - g].end());
    return learner(train_rows[g], y_train[g], targets);
  };
  const std::vector<double> mu0 = predict_both(0);
  const std::vector<double> mu1 = predict_both(1);
  const std::size_t h = held_rows.size();

  UpliftResult result;
  result.held_out_rows = held_rows;
  UpliftModelResult t_learner;
  t_learner.name = "t_learner";
  for (std::size_t k = 0; k < h; ++k) t_learner.held_out_uplift.push_back(mu1[k] - mu0[k]);

  // X-learner: imputed effects on each training group from the other group's outcome model.
  std::vector<double> imputed_treated, imputed_control;
  for (std::size_t k = 0; k < train[1].size(); ++k)
    imputed_treated.push_back(y_train[1][k] - mu0[h + k]);
  for (std::size_t k = 0; k < train[0].size(); ++k)
    imputed_control.push_back(mu1[h + k] - y_train[0][k]);
  const std::vector<double> tau1 = learner(train_rows[1], imputed_treated, held_rows);
  const std::vector<double> tau0 = learner(train_rows[0], imputed_control, held_rows);
  const double propensity =
      static_cast<double>(train[1].size()) / static_cast<double>(train[0].size() + train[1].size());
  UpliftModelResult x_learner;
  x_learner.name = "x_learner";
  for (std::size_t k = 0; k < h; ++k)
    x_learner.held_out_uplift.push_back(propensity * tau0[k] + (1 - propensity) * tau1[k]);

  for (UpliftModelResult* model : {&t_learner, &x_learner}) {
    const std::vector<std::size_t> order = ranking(model->held_out_uplift);
    model->curve = curve_of_order(order, held_outcome, held_treated, options.points);
    const std::size_t fifth = h / 5;
    model->top_fifth_effect = raw_effect(order, 0, fifth, held_outcome, held_treated);
    model->other_effect = raw_effect(order, fifth, h, held_outcome, held_treated);
    result.models.push_back(std::move(*model));
  }

  // Random rankings: the noise floor of the coefficient on this many players.
  std::vector<std::size_t> order(h);
  std::vector<double> coefficients;
  for (std::size_t r = 0; r < options.random_rankings; ++r) {
    std::iota(order.begin(), order.end(), 0);
    Rng shuffle(options.seed, 0x72616e646f6d, r);  // "random"
    for (std::size_t k = h; k > 1; --k) {
      const auto j = static_cast<std::size_t>(shuffle.uniform() * static_cast<double>(k));
      std::swap(order[k - 1], order[std::min(j, k - 1)]);
    }
    coefficients.push_back(
        curve_of_order(order, held_outcome, held_treated, options.points).coefficient);
  }
  if (!coefficients.empty()) {
    const double count = static_cast<double>(coefficients.size());
    result.random_coefficient_mean =
        std::accumulate(coefficients.begin(), coefficients.end(), 0.0) / count;
    double squares = 0;
    for (double c : coefficients)
      squares += (c - result.random_coefficient_mean) * (c - result.random_coefficient_mean);
    result.random_coefficient_sd = count > 1 ? std::sqrt(squares / (count - 1)) : 0;
  }
  const QiniCurve& any = result.models.front().curve;
  result.random_curve.share = any.share;
  for (double share : any.share) result.random_curve.qini.push_back(share * any.qini.back());

  if (!true_effect.empty()) {
    result.has_oracle = true;
    const std::vector<double> held_truth =
        pick(true_effect, std::span<const std::size_t>(held_out));
    result.oracle = qini_curve(held_truth, held_outcome, held_treated, options.points);
  }
  return result;
}

}  // namespace playsight::experiment
