#pragma once
// Monitoring over time: a ring of per-interval samples that the console's Monitoring page charts
// (GET /v1/monitoring/history). Each sample holds, per series, the requests answered in the
// interval, how many were errors (status >= 400) and the latency percentiles (p50, p95, p99);
// and, per served alias, the drift monitor's reading at the end of the interval. The series are
// "all" (every request) and "MODEL/ALIAS" (the requests to that alias's endpoints).
//
// record() is called for every request; close_interval() by the service's sampler thread once per
// interval. The ring keeps the newest `capacity` samples (an hour at the default 10 s x 360);
// older ones are dropped. Only the process's own requests since it started: Prometheus (/metrics)
// is the long-term store. Thread-safe.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace playsight::monitoring {

struct SeriesSample {
  std::string series;
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;
  double p50_ms = 0, p95_ms = 0, p99_ms = 0;  // 0 when no requests
};

struct DriftSample {
  std::string model;
  std::string alias;
  int version = 0;
  std::string status;  // ok, warn, drift, insufficient_data; no_reference without monitoring
  double prediction_psi = 0;
  double max_feature_psi = 0;
  std::uint64_t players = 0;
};

struct HistorySample {
  std::string at;  // end of the interval, UTC ISO 8601
  double seconds = 0;
  std::vector<SeriesSample> series;
  std::vector<DriftSample> drift;
};

// The q-quantile (0..1) of the values by the nearest-rank method; 0 for none. Sorts the values.
double nearest_rank_quantile(std::vector<double>& values, double q);

class MonitoringHistory {
 public:
  // REQUIRES: capacity >= 1.
  MonitoringHistory(double interval_seconds, std::size_t capacity);

  // One answered request. series: "MODEL/ALIAS", or "" for a request about no alias (counted in
  // "all" only).
  void record(const std::string& series, int status, double seconds);
  // Ends the current interval: turns its counts into a sample with the drift readings given.
  void close_interval(std::vector<DriftSample> drift);
  std::vector<HistorySample> samples() const;
  double interval_seconds() const { return interval_seconds_; }

 private:
  struct Open {
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;
    std::vector<double> latencies;  // seconds, at most kMaxLatencies (later ones only counted)
  };
  static constexpr std::size_t kMaxLatencies = 100000;

  double interval_seconds_;
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::map<std::string, Open> open_;
  std::deque<HistorySample> ring_;
};

nlohmann::json to_json(const HistorySample& sample);

}  // namespace playsight::monitoring
