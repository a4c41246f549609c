#include "spend/clv/clv_model.h"

#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/error.h"
#include "core/parallel.h"

namespace playsight::spend::clv {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = static_cast<double>(a.size());
  if (a.size() < 2) return kNaN;
  double mean_a = 0, mean_b = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    mean_a += a[i] / n;
    mean_b += b[i] / n;
  }
  double cov = 0, var_a = 0, var_b = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    cov += (a[i] - mean_a) * (b[i] - mean_b);
    var_a += (a[i] - mean_a) * (a[i] - mean_a);
    var_b += (b[i] - mean_b) * (b[i] - mean_b);
  }
  if (var_a == 0 || var_b == 0) return kNaN;
  return cov / std::sqrt(var_a * var_b);
}

// spend(H) for H = 1..L: see clv_model.h.
std::vector<double> never_payer_curve(const RfmTable& table) {
  const int length = table.calibration_length_days;
  if (length < 1) return {};
  std::vector<double> new_spend(static_cast<std::size_t>(length), 0.0);
  std::vector<double> new_payers(static_cast<std::size_t>(length), 0.0);
  double never_payers = 0;
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (!table.customer[i]) {
      ++never_payers;
      continue;
    }
    // The first top-up day is T + 1 days before the cutoff: inside the last H days iff T < H.
    const double first_before = std::floor(table.age[i]);
    if (first_before < 0 || first_before >= length) continue;
    const auto slot = static_cast<std::size_t>(first_before);
    new_spend[slot] += table.total_amount[i];
    ++new_payers[slot];
  }
  std::vector<double> curve(static_cast<std::size_t>(length), 0.0);
  double spend = 0, payers = 0;
  for (std::size_t h = 0; h < curve.size(); ++h) {
    spend += new_spend[h];
    payers += new_payers[h];
    const double at_risk = never_payers + payers;
    curve[h] = at_risk > 0 ? spend / at_risk : 0.0;
  }
  return curve;
}

double never_payer_prediction(const ClvModel& model, int horizon_days) {
  if (model.never_payer_policy == NeverPayerPolicy::kZero || model.never_payer_spend.empty()) {
    return 0.0;
  }
  const auto length = static_cast<int>(model.never_payer_spend.size());
  if (horizon_days <= length)
    return model.never_payer_spend[static_cast<std::size_t>(horizon_days - 1)];
  return model.never_payer_spend.back() * horizon_days / length;
}

nlohmann::json diagnostics_json(const FitDiagnostics& d, const std::vector<std::string>& names) {
  nlohmann::json errors = nlohmann::json::object();
  for (std::size_t k = 0; k < names.size() && k < d.standard_errors.size(); ++k) {
    errors[names[k]] = std::isfinite(d.standard_errors[k]) ? nlohmann::json(d.standard_errors[k])
                                                           : nlohmann::json(nullptr);
  }
  return {{"log_likelihood", d.log_likelihood},
          {"observations", d.observations},
          {"distinct_rows", d.distinct_rows},
          {"evaluations", d.evaluations},
          {"converged", d.converged},
          {"optimiser_status", d.optimiser_status},
          {"seconds", d.seconds},
          {"standard_errors", errors}};
}

// Reads json[path...] with errors naming the source and the field.
class JsonReader {
 public:
  explicit JsonReader(std::string source) : source_(std::move(source)) {}

  const nlohmann::json& at(const nlohmann::json& json, const std::string& key,
                           const std::string& where) const {
    if (!json.is_object() || !json.contains(key)) fail(where + key, "is missing");
    return json.at(key);
  }
  double number(const nlohmann::json& json, const std::string& key, const std::string& where,
                bool positive = false) const {
    const nlohmann::json& value = at(json, key, where);
    if (value.is_null()) return kNaN;
    if (!value.is_number()) fail(where + key, "expected a number");
    const double x = value.get<double>();
    if (positive && !(x > 0 && std::isfinite(x))) fail(where + key, "expected a positive number");
    return x;
  }
  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw InputError(source_ + ": field '" + field + "': " + what);
  }

 private:
  std::string source_;
};

FitDiagnostics diagnostics_from(const JsonReader& in, const nlohmann::json& json,
                                const std::string& where, const std::vector<std::string>& names) {
  FitDiagnostics d;
  d.log_likelihood = in.number(json, "log_likelihood", where);
  d.observations = static_cast<std::size_t>(in.number(json, "observations", where));
  d.distinct_rows = static_cast<std::size_t>(in.number(json, "distinct_rows", where));
  d.evaluations = static_cast<int>(in.number(json, "evaluations", where));
  const nlohmann::json& converged = in.at(json, "converged", where);
  if (!converged.is_boolean()) in.fail(where + "converged", "expected true or false");
  d.converged = converged.get<bool>();
  const nlohmann::json& status = in.at(json, "optimiser_status", where);
  if (!status.is_string()) in.fail(where + "optimiser_status", "expected a string");
  d.optimiser_status = status.get<std::string>();
  d.seconds = in.number(json, "seconds", where);
  const nlohmann::json& errors = in.at(json, "standard_errors", where);
  for (const std::string& name : names) {
    d.standard_errors.push_back(in.number(errors, name, where + "standard_errors."));
  }
  return d;
}

const std::vector<std::string> kBgNbdNames{"r", "alpha", "a", "b"};
const std::vector<std::string> kGammaGammaNames{"p", "q", "gamma"};

}  // namespace

ClvModel fit_clv(const RfmTable& table, const ClvOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  ClvModel model;
  model.players = table.size();
  model.cutoff = table.cutoff;
  model.calibration_length_days = table.calibration_length_days;
  model.never_payer_policy = options.never_payers;

  std::vector<double> x, t_x, T, repeat_x, repeat_m;
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (!table.customer[i]) continue;
    x.push_back(table.frequency[i]);
    t_x.push_back(table.recency[i]);
    T.push_back(table.age[i]);
    if (table.frequency[i] >= 1 && table.monetary[i] > 0) {
      repeat_x.push_back(table.frequency[i]);
      repeat_m.push_back(table.monetary[i]);
    }
  }
  model.customers = x.size();
  model.repeat_customers = repeat_x.size();
  if (x.empty()) {
    throw InputError("CLV: none of the " + std::to_string(table.size()) +
                     " players has a top-up before the cutoff (" + format_date(table.cutoff) +
                     "); BG/NBD needs customers to fit on");
  }
  FitOptions fit_options;
  fit_options.threads = options.threads;
  fit_options.max_evaluations = options.max_evaluations;
  // Gamma-Gamma first: its data check (two repeat customers, two distinct values) is the one a
  // small data set fails, and its message says so.
  model.value = fit_gamma_gamma(repeat_x, repeat_m, fit_options);
  model.purchases = fit_bgnbd(x, t_x, T, fit_options);
  model.frequency_value_correlation = pearson(repeat_x, repeat_m);

  const GammaGammaParameters& g = model.value.parameters;
  if (g.q > 1) {
    model.population_mean_value = g.p * g.gamma / (g.q - 1);
  } else {
    double weighted = 0, weight = 0;
    for (std::size_t i = 0; i < repeat_x.size(); ++i) {
      weighted += repeat_x[i] * repeat_m[i];
      weight += repeat_x[i];
    }
    model.population_mean_value = weighted / weight;
  }
  if (options.never_payers == NeverPayerPolicy::kRecentNewPayers) {
    model.never_payer_spend = never_payer_curve(table);
  }
  model.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return model;
}

ClvPredictions predict_clv_detail(const ClvModel& model, const RfmTable& table, int horizon_days,
                                  unsigned threads) {
  if (horizon_days < 1) {
    throw InputError("CLV: the horizon must be at least 1 day, got " +
                     std::to_string(horizon_days));
  }
  const std::size_t n = table.size();
  ClvPredictions out;
  out.expected_amount.assign(n, 0.0);
  out.expected_topup_days.assign(n, kNaN);
  out.probability_alive.assign(n, kNaN);
  out.expected_value_per_day.assign(n, kNaN);
  const double never_payer = never_payer_prediction(model, horizon_days);
  const BgNbdParameters& purchases = model.purchases.parameters;
  const GammaGammaParameters& value = model.value.parameters;
  const auto horizon = static_cast<double>(horizon_days);
  constexpr std::size_t kBlock = 8192;
  parallel_for((n + kBlock - 1) / kBlock, threads, [&](std::size_t b, unsigned) {
    for (std::size_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i) {
      if (!table.customer[i]) {
        out.expected_amount[i] = never_payer;
        continue;
      }
      const double x = table.frequency[i];
      const double days =
          bgnbd_expected_purchases(purchases, horizon, x, table.recency[i], table.age[i]);
      double per_day = model.population_mean_value;
      if (x >= 1 && table.monetary[i] > 0) {
        per_day = gamma_gamma_expected_value(value, x, table.monetary[i]);
        // Only when q < 1 and p x < 1 - q: the posterior mean does not exist; use the player's own.
        if (!std::isfinite(per_day)) per_day = table.monetary[i];
      }
      out.expected_topup_days[i] = days;
      out.probability_alive[i] =
          bgnbd_probability_alive(purchases, x, table.recency[i], table.age[i]);
      out.expected_value_per_day[i] = per_day;
      out.expected_amount[i] = days * per_day;
    }
  });
  return out;
}

std::vector<double> predict_clv(const ClvModel& model, const RfmTable& table, int horizon_days,
                                unsigned threads) {
  return predict_clv_detail(model, table, horizon_days, threads).expected_amount;
}

nlohmann::json clv_to_json(const ClvModel& model) {
  const BgNbdParameters& bg = model.purchases.parameters;
  const GammaGammaParameters& gg = model.value.parameters;
  nlohmann::json bgnbd = diagnostics_json(model.purchases.diagnostics, kBgNbdNames);
  bgnbd["r"] = bg.r;
  bgnbd["alpha"] = bg.alpha;
  bgnbd["a"] = bg.a;
  bgnbd["b"] = bg.b;
  nlohmann::json gamma_gamma = diagnostics_json(model.value.diagnostics, kGammaGammaNames);
  gamma_gamma["p"] = gg.p;
  gamma_gamma["q"] = gg.q;
  gamma_gamma["gamma"] = gg.gamma;
  const double correlation = model.frequency_value_correlation;
  return {
      {"model", "bgnbd_gamma_gamma"},
      {"time_unit", "day"},
      {"bgnbd", bgnbd},
      {"gamma_gamma", gamma_gamma},
      {"population_mean_value", model.population_mean_value},
      {"frequency_value_correlation",
       std::isfinite(correlation) ? nlohmann::json(correlation) : nlohmann::json(nullptr)},
      {"never_payers",
       {{"policy",
         model.never_payer_policy == NeverPayerPolicy::kZero ? "zero" : "recent_new_payers"},
        {"spend_by_horizon_days", model.never_payer_spend}}},
      {"data",
       {{"players", model.players},
        {"customers", model.customers},
        {"repeat_customers", model.repeat_customers},
        {"cutoff", format_date(model.cutoff)},
        {"calibration_length_days", model.calibration_length_days}}},
      {"seconds", model.seconds},
  };
}

ClvModel clv_from_json(const nlohmann::json& json, const std::string& source) {
  const JsonReader in(source);
  const nlohmann::json& kind = in.at(json, "model", "");
  if (kind != "bgnbd_gamma_gamma") in.fail("model", "expected \"bgnbd_gamma_gamma\"");
  ClvModel model;
  const nlohmann::json& bg = in.at(json, "bgnbd", "");
  model.purchases.parameters = {
      in.number(bg, "r", "bgnbd.", true), in.number(bg, "alpha", "bgnbd.", true),
      in.number(bg, "a", "bgnbd.", true), in.number(bg, "b", "bgnbd.", true)};
  model.purchases.diagnostics = diagnostics_from(in, bg, "bgnbd.", kBgNbdNames);
  const nlohmann::json& gg = in.at(json, "gamma_gamma", "");
  model.value.parameters = {in.number(gg, "p", "gamma_gamma.", true),
                            in.number(gg, "q", "gamma_gamma.", true),
                            in.number(gg, "gamma", "gamma_gamma.", true)};
  model.value.diagnostics = diagnostics_from(in, gg, "gamma_gamma.", kGammaGammaNames);
  model.population_mean_value = in.number(json, "population_mean_value", "", true);
  model.frequency_value_correlation = in.number(json, "frequency_value_correlation", "");
  const nlohmann::json& never = in.at(json, "never_payers", "");
  const nlohmann::json& policy = in.at(never, "policy", "never_payers.");
  if (policy == "zero") {
    model.never_payer_policy = NeverPayerPolicy::kZero;
  } else if (policy == "recent_new_payers") {
    model.never_payer_policy = NeverPayerPolicy::kRecentNewPayers;
  } else {
    in.fail("never_payers.policy", "expected \"recent_new_payers\" or \"zero\"");
  }
  const nlohmann::json& curve = in.at(never, "spend_by_horizon_days", "never_payers.");
  if (!curve.is_array()) in.fail("never_payers.spend_by_horizon_days", "expected an array");
  for (const nlohmann::json& v : curve) {
    if (!v.is_number() || v.get<double>() < 0) {
      in.fail("never_payers.spend_by_horizon_days", "expected numbers >= 0");
    }
    model.never_payer_spend.push_back(v.get<double>());
  }
  const nlohmann::json& data = in.at(json, "data", "");
  model.players = static_cast<std::size_t>(in.number(data, "players", "data."));
  model.customers = static_cast<std::size_t>(in.number(data, "customers", "data."));
  model.repeat_customers = static_cast<std::size_t>(in.number(data, "repeat_customers", "data."));
  const nlohmann::json& cutoff = in.at(data, "cutoff", "data.");
  if (!cutoff.is_string()) in.fail("data.cutoff", "expected a date YYYY-MM-DD");
  try {
    model.cutoff = parse_date(cutoff.get<std::string>());
  } catch (const FieldError& error) {
    in.fail("data.cutoff", error.what());
  }
  model.calibration_length_days =
      static_cast<int>(in.number(data, "calibration_length_days", "data."));
  model.seconds = in.number(json, "seconds", "");
  return model;
}

void save_clv(const ClvModel& model, const std::string& path) {
  write_file(path, clv_to_json(model).dump(2) + "\n");
}

ClvModel load_clv(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw InputError(path + ": cannot open the CLV model file");
  std::stringstream text;
  text << file.rdbuf();
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& error) {
    throw InputError(path + ": not valid JSON (" + error.what() + ")");
  }
  return clv_from_json(json, path);
}

}  // namespace playsight::spend::clv
