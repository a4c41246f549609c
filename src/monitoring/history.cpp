#include "monitoring/history.h"

#include <algorithm>
#include <cmath>

#include "core/time.h"

namespace playsight::monitoring {

double nearest_rank_quantile(std::vector<double>& values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

MonitoringHistory::MonitoringHistory(double interval_seconds, std::size_t capacity)
    : interval_seconds_(interval_seconds), capacity_(std::max<std::size_t>(1, capacity)) {}

void MonitoringHistory::record(const std::string& series, int status, double seconds) {
  const std::lock_guard lock(mutex_);
  const auto count = [&](Open& open) {
    ++open.requests;
    if (status >= 400) ++open.errors;
    if (open.latencies.size() < kMaxLatencies) open.latencies.push_back(seconds);
  };
  count(open_["all"]);
  if (!series.empty()) count(open_[series]);
}

void MonitoringHistory::close_interval(std::vector<DriftSample> drift) {
  HistorySample sample;
  sample.at = utc_now_iso();
  sample.seconds = interval_seconds_;
  sample.drift = std::move(drift);
  std::map<std::string, Open> closed;
  {
    const std::lock_guard lock(mutex_);
    closed.swap(open_);
  }
  closed.try_emplace("all");  // every sample has the "all" series, zero when idle
  for (auto& [name, open] : closed) {
    SeriesSample series;
    series.series = name;
    series.requests = open.requests;
    series.errors = open.errors;
    series.p50_ms = 1000 * nearest_rank_quantile(open.latencies, 0.50);
    series.p95_ms = 1000 * nearest_rank_quantile(open.latencies, 0.95);
    series.p99_ms = 1000 * nearest_rank_quantile(open.latencies, 0.99);
    sample.series.push_back(std::move(series));
  }
  const std::lock_guard lock(mutex_);
  ring_.push_back(std::move(sample));
  while (ring_.size() > capacity_) ring_.pop_front();
}

std::vector<HistorySample> MonitoringHistory::samples() const {
  const std::lock_guard lock(mutex_);
  return {ring_.begin(), ring_.end()};
}

nlohmann::json to_json(const HistorySample& sample) {
  nlohmann::json series = nlohmann::json::array();
  for (const SeriesSample& s : sample.series)
    series.push_back({{"series", s.series},
                      {"requests", s.requests},
                      {"errors", s.errors},
                      {"requests_per_second", static_cast<double>(s.requests) / sample.seconds},
                      {"p50_ms", s.p50_ms},
                      {"p95_ms", s.p95_ms},
                      {"p99_ms", s.p99_ms}});
  nlohmann::json drift = nlohmann::json::array();
  for (const DriftSample& d : sample.drift)
    drift.push_back({{"model", d.model},
                     {"alias", d.alias},
                     {"version", d.version},
                     {"status", d.status},
                     {"prediction_psi", d.prediction_psi},
                     {"max_feature_psi", d.max_feature_psi},
                     {"players", d.players}});
  return {{"at", sample.at}, {"seconds", sample.seconds}, {"series", series}, {"drift", drift}};
}

}  // namespace playsight::monitoring
