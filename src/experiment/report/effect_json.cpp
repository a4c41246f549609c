// effect_json and effect_summary: the analysis as JSON and as the terminal summary.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "experiment/effect_report.h"
#include "experiment/report/response_histogram.h"

namespace playsight::experiment {
namespace {

using Json = nlohmann::ordered_json;

// NaN and infinity are not JSON: they become null.
Json number(double value) {
  return std::isfinite(value) ? Json(value) : Json(nullptr);
}

Json estimate_json(const EffectEstimate& e) {
  Json j;
  j["method"] = e.method;
  j["relative"] = e.relative;
  j["estimate"] = number(e.estimate);
  j["ci_low"] = number(e.ci_low);
  j["ci_high"] = number(e.ci_high);
  j["level"] = e.level;
  j["standard_error"] = number(e.standard_error);
  j["p_value"] = number(e.p_value);
  j["variance_reduction"] = number(e.variance_reduction);
  j["theta"] = number(e.theta);
  j["treatment_players"] = e.treatment_players;
  j["control_players"] = e.control_players;
  j["treatment_mean"] = number(e.treatment_mean);
  j["control_mean"] = number(e.control_mean);
  return j;
}

Json optional_estimate(const std::optional<EffectEstimate>& e) {
  return e ? estimate_json(*e) : Json(nullptr);
}

Json curve_json(const QiniCurve& curve) {
  Json j;
  j["coefficient"] = number(curve.coefficient);
  j["share"] = curve.share;
  Json q = Json::array();
  for (double v : curve.qini) q.push_back(number(v));
  j["qini"] = q;
  return j;
}

Json uplift_json(const GroupAnalysis& group, Outcome outcome) {
  Json j;
  j["outcome"] = outcome_name(outcome);
  if (!group.uplift) {
    j["note"] = group.uplift_note;
    return j;
  }
  const UpliftResult& u = *group.uplift;
  j["held_out_players"] = u.held_out_rows.size();
  Json models = Json::array();
  for (const UpliftModelResult& m : u.models) {
    Json model;
    model["name"] = m.name;
    model["qini_coefficient"] = number(m.curve.coefficient);
    model["top_fifth_effect"] = number(m.top_fifth_effect);
    model["other_effect"] = number(m.other_effect);
    model["curve"] = curve_json(m.curve);
    models.push_back(model);
  }
  j["models"] = models;
  j["random_ranking"] = {{"qini_coefficient_mean", number(u.random_coefficient_mean)},
                         {"qini_coefficient_sd", number(u.random_coefficient_sd)},
                         {"curve", curve_json(u.random_curve)}};
  j["true_effect_ranking"] = u.has_oracle ? curve_json(u.oracle) : Json(nullptr);
  return j;
}

Json summary_json(const ResponseSummary& s) {
  return {{"players", s.players},
          {"mean_response", number(s.mean_response)},
          {"median_response", number(s.median_response)},
          {"share_clearly_positive", number(s.share_clearly_positive)},
          {"share_clearly_negative", number(s.share_clearly_negative)}};
}

std::string krw(double value) {
  if (!std::isfinite(value)) return "n/a";
  char text[64];
  std::snprintf(text, sizeof text, "%.0f", std::abs(value));
  std::string digits = text, out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (value < 0 && out != "0" ? "-" : "") + out;
}

// A value in the outcome's unit, for the terminal.
std::string in_unit(double value, Outcome outcome) {
  char text[64];
  switch (outcome) {
    case Outcome::kAmount:
      return krw(value);
    case Outcome::kProbability:
      std::snprintf(text, sizeof text, "%+.2f pp", 100 * value);
      return text;
    case Outcome::kCount:
      std::snprintf(text, sizeof text, "%+.4f", value);
      return text;
  }
  return "";
}

std::string percent(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", 100 * value);
  return text;
}

}  // namespace

nlohmann::ordered_json effect_json(const NudgeAnalysis& analysis, const EffectContext& context) {
  Json j;
  j["kind"] = kEffectKind;
  j["context"] = {{"title", context.title},
                  {"logs", context.logs},
                  {"assignment", context.assignment},
                  {"model", context.model},
                  {"cutoff", context.cutoff},
                  {"outcome_days", context.outcome_days},
                  {"pre_period_days", context.pre_period_days},
                  {"warnings", context.warnings},
                  {"truth", context.truth},
                  {"generated_by", context.generated_by}};
  j["control_group"] = analysis.control_group;
  j["control_players"] = analysis.control_players;
  j["response_level"] = analysis.response_level;
  j["control_response"] = summary_json(analysis.control_response);
  Json groups = Json::array();
  for (const GroupAnalysis& group : analysis.groups) {
    Json g;
    g["group"] = group.group;
    g["players"] = group.players;
    Json outcomes = Json::array();
    for (const OutcomeEffects& o : group.outcomes) {
      Json oj;
      oj["outcome"] = outcome_name(o.outcome);
      oj["unit"] = outcome_unit(o.outcome);
      oj["true_effect"] = o.true_effect ? number(*o.true_effect) : Json(nullptr);
      Json absolute = Json::array(), relative = Json::array();
      for (const auto& e : o.absolute) absolute.push_back(estimate_json(e));
      for (const auto& e : o.relative) relative.push_back(estimate_json(e));
      oj["absolute"] = absolute;
      oj["relative"] = relative;
      outcomes.push_back(oj);
    }
    g["outcomes"] = outcomes;
    Json segments = Json::array();
    for (const SegmentEffect& s : group.segments) {
      segments.push_back({{"segment", s.segment},
                          {"level", s.level},
                          {"treatment_players", s.treatment_players},
                          {"control_players", s.control_players},
                          {"amount_welch", optional_estimate(s.welch)},
                          {"amount_cupac", optional_estimate(s.cupac)},
                          {"probability_welch", optional_estimate(s.probability)},
                          {"true_effect", s.true_effect ? number(*s.true_effect) : Json(nullptr)},
                          {"note", s.note}});
    }
    g["segments"] = segments;
    g["response"] = summary_json(group.response);
    g["response_histogram"] = response_histogram_json(analysis, group.group);
    Json planning = Json::array();
    for (const PlanningRow& p : group.planning) {
      planning.push_back({{"outcome", outcome_name(p.outcome)},
                          {"control_mean", number(p.control_mean)},
                          {"outcome_standard_deviation", number(p.outcome_standard_deviation)},
                          {"players_per_group", p.players_per_group},
                          {"mde_plain", number(p.mde_plain)},
                          {"mde_cuped", number(p.mde_cuped)},
                          {"mde_cupac", number(p.mde_cupac)},
                          {"target_effect", number(p.target_effect)},
                          {"players_per_group_plain", p.players_plain},
                          {"players_per_group_cuped", p.players_cuped},
                          {"players_per_group_cupac", p.players_cupac}});
    }
    g["planning"] = planning;
    g["uplift"] = uplift_json(group, group.uplift_outcome);
    groups.push_back(g);
  }
  j["groups"] = groups;
  return j;
}

std::string effect_summary(const NudgeAnalysis& analysis, const EffectContext& context) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line,
                "Nudge effects over the %d days from %s (control: %s, %zu players)\n",
                context.outcome_days, context.cutoff.c_str(), analysis.control_group.c_str(),
                analysis.control_players);
  out += line;
  for (const GroupAnalysis& group : analysis.groups) {
    std::snprintf(line, sizeof line, "\n%s (%zu players) vs %s\n", group.group.c_str(),
                  group.players, analysis.control_group.c_str());
    out += line;
    std::snprintf(line, sizeof line, "  %-18s %-9s %14s %29s %8s %10s %9s\n", "outcome", "method",
                  "effect", "95% interval", "relative", "p-value", "var. red.");
    out += line;
    for (const OutcomeEffects& o : group.outcomes) {
      for (std::size_t m = 0; m < o.absolute.size(); ++m) {
        const EffectEstimate& e = o.absolute[m];
        const std::string relative =
            m < o.relative.size() ? percent(o.relative[m].estimate) : std::string("");
        const std::string interval =
            "[" + in_unit(e.ci_low, o.outcome) + ", " + in_unit(e.ci_high, o.outcome) + "]";
        char p_value[32];
        std::snprintf(p_value, sizeof p_value, e.p_value > 0 ? "%.2g" : "~0", e.p_value);
        std::snprintf(line, sizeof line, "  %-18s %-9s %14s %29s %8s %10s %9s\n",
                      m == 0 ? outcome_name(o.outcome).c_str() : "", e.method.c_str(),
                      in_unit(e.estimate, o.outcome).c_str(), interval.c_str(), relative.c_str(),
                      p_value, m == 1 || m == 2 ? percent(e.variance_reduction).c_str() : "");
        out += line;
      }
      if (o.true_effect) {
        std::snprintf(line, sizeof line, "  %-18s %-9s %14s\n", "", "truth",
                      in_unit(*o.true_effect, o.outcome).c_str());
        out += line;
      }
    }
    std::snprintf(line, sizeof line,
                  "  per player: mean response %s KRW; clearly positive %s of nudged players "
                  "(%s of control players by chance)\n",
                  krw(group.response.mean_response).c_str(),
                  percent(group.response.share_clearly_positive).c_str(),
                  percent(analysis.control_response.share_clearly_positive).c_str());
    out += line;
    if (group.uplift) {
      const Outcome outcome = group.uplift_outcome;
      const auto value = [outcome](double v) {
        if (outcome == Outcome::kAmount) return krw(v) + " KRW";
        char text[32];
        std::snprintf(text, sizeof text, "%.4g", v);
        return std::string(text);
      };
      const UpliftResult& u = *group.uplift;
      for (const UpliftModelResult& m : u.models) {
        out += "  uplift " + m.name + " (" + outcome_name(outcome) + "): Qini " +
               value(m.curve.coefficient) + " per treated player (random ranking " +
               value(u.random_coefficient_mean) + " +- " + value(u.random_coefficient_sd) +
               (u.has_oracle ? "; true effects " + value(u.oracle.coefficient) : "") +
               "); top 20% by predicted uplift: effect " + value(m.top_fifth_effect) +
               ", other 80%: " + value(m.other_effect) + "\n";
      }
    } else {
      out += "  uplift: " + group.uplift_note + "\n";
    }
    for (const PlanningRow& p : group.planning) {
      if (p.outcome != Outcome::kAmount) continue;
      std::snprintf(line, sizeof line,
                    "  planning (amount): MDE at %.0f per group: %s plain, %s CUPED, %s CUPAC KRW; "
                    "for %s KRW: %zu / %zu / %zu players per group\n",
                    p.players_per_group, krw(p.mde_plain).c_str(), krw(p.mde_cuped).c_str(),
                    krw(p.mde_cupac).c_str(), krw(p.target_effect).c_str(), p.players_plain,
                    p.players_cuped, p.players_cupac);
      out += line;
    }
  }
  if (!context.truth.empty())
    out += "\ntruth: the generator's true effects from " + context.truth + "\n";
  for (const std::string& warning : context.warnings) out += "warning: " + warning + "\n";
  return out;
}

}  // namespace playsight::experiment
