#pragma once
// The customer-lifetime-value reference model of spend prediction: BG/NBD for how many top-up
// days a player will have in the next H days, times Gamma-Gamma for what each will be worth
// (Fader, Hardie & Lee 2005; what Python's `lifetimes` offers), both fitted by maximum
// likelihood on an RFM summary (rfm.h). This is the one header `playsight train` / `compare`
// need:
//
//   RfmTable rfm = rfm_from_topups(path, TopupFileKind::kGameLog, cutoff, {.players = keys});
//   ClvModel model = fit_clv(select_rows(rfm, training_rows), ClvOptions{});
//   std::vector<double> spend = predict_clv(model, rfm, 30);   // one per row of rfm
//   save_clv(model, "model/clv.json");
//
// The prediction for a player with a top-up before the cutoff ("customer") is
//   E[X(H) | x, t_x, T] * E[M | x, m]
// (expected repeat top-up days in [cutoff, cutoff + H) times the expected value of a top-up day),
// which assumes, as Gamma-Gamma does, that the value of a top-up day does not depend on how
// often the player tops up; `frequency_value_correlation` reports how far the data agree.
// A customer whose only top-up day is their first (x = 0) gets the population mean value.
//
// Never-payers (no top-up in the calibration period) are outside BG/NBD, which starts at a first
// purchase. With NeverPayerPolicy::kRecentNewPayers (the default) every never-payer is predicted
// the same amount, estimated from the training data as what players with no top-up before
// cutoff - H spent in the last H days before the cutoff:
//   spend(H) = (total calibration spend of customers whose first top-up day is in
//               [cutoff - H, cutoff)) / (never-payers + those customers),
// i.e. P(first top-up within H days) times the H-day spend of a new payer, both measured on the
// most recent H days (so it assumes the rate of new payers stays as it was). It is stored per H
// up to the calibration length L; for H > L it is extrapolated linearly (spend(L) * H / L).
// With kZero never-payers are predicted 0.
//
// Thread-safety: the functions are pure and may be called concurrently; a ClvModel is a value.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "spend/clv/bgnbd.h"
#include "spend/clv/gamma_gamma.h"
#include "spend/clv/rfm.h"

namespace playsight::spend::clv {

enum class NeverPayerPolicy { kRecentNewPayers, kZero };

struct ClvOptions {
  unsigned threads = 0;  // 0 = one per core
  int max_evaluations = 5000;
  NeverPayerPolicy never_payers = NeverPayerPolicy::kRecentNewPayers;
};

struct ClvModel {
  BgNbdFit purchases;                // r, alpha (days), a, b; fitted on every customer
  GammaGammaFit value;               // p, q, gamma (money); fitted on the repeat customers
  double population_mean_value = 0;  // E[M] for x = 0: p gamma / (q - 1) (see fit_clv)
  // Pearson correlation of frequency and monetary value over the repeat customers: Gamma-Gamma
  // assumes none; far from 0 means the product E[X] E[M] is biased.
  double frequency_value_correlation = 0;
  NeverPayerPolicy never_payer_policy = NeverPayerPolicy::kRecentNewPayers;
  std::vector<double> never_payer_spend;  // [H - 1]: the prediction for a never-payer, H days
  // What it was fitted on.
  std::size_t players = 0;
  std::size_t customers = 0;
  std::size_t repeat_customers = 0;
  Days cutoff = 0;
  int calibration_length_days = 0;
  double seconds = 0;
};

// Fits both models on the table's customers. Throws InputError when the table has no customer
// or no repeat customer (BG/NBD), or fewer than two repeat customers or only one distinct mean
// value (Gamma-Gamma). If q <= 1 (the population mean value is infinite), population_mean_value
// is the frequency-weighted mean of the repeat customers' values instead.
ClvModel fit_clv(const RfmTable& table, const ClvOptions& options);

// Per row of `table`, in its order, what the model predicts over the next `horizon_days` days.
struct ClvPredictions {
  std::vector<double> expected_amount;         // the prediction: E[X(H)] E[M], or never-payer
  std::vector<double> expected_topup_days;     // E[X(H) | x, t_x, T]; NaN for never-payers
  std::vector<double> probability_alive;       // P(alive | x, t_x, T); NaN for never-payers
  std::vector<double> expected_value_per_day;  // E[M | x, m]; NaN for never-payers
};

// Throws InputError when horizon_days < 1.
ClvPredictions predict_clv_detail(const ClvModel& model, const RfmTable& table, int horizon_days,
                                  unsigned threads = 0);
// Just expected_amount.
std::vector<double> predict_clv(const ClvModel& model, const RfmTable& table, int horizon_days,
                                unsigned threads = 0);

// The model as JSON (parameters, standard errors, fit diagnostics, never-payer curve, data
// summary), and back. clv_from_json throws InputError naming `source` and the field.
nlohmann::json clv_to_json(const ClvModel& model);
ClvModel clv_from_json(const nlohmann::json& json, const std::string& source);

// To / from a JSON file. save_clv throws Error when the file cannot be written; load_clv throws
// InputError when it cannot be read or parsed.
void save_clv(const ClvModel& model, const std::string& path);
ClvModel load_clv(const std::string& path);

}  // namespace playsight::spend::clv
