#pragma once
// The service's metrics in the Prometheus text exposition format (version 0.0.4), as /metrics
// serves them. RequestMetrics counts requests per (route, method, status code) and keeps a latency
// histogram per (route, method):
//
//   playsight_http_requests_total{route,method,code}           counter
//   playsight_http_request_errors_total{route,method,class}    counter, class "client" (4xx) or
//                                                              "server" (5xx)
//   playsight_http_request_duration_seconds{route,method}      histogram (_bucket{le}, _sum,
//                                                              _count)
//
// `route` is the route's pattern (/v1/models/{name}/...), never the raw path, so the number of
// series stays bounded. write_family() adds any other family (gauges and counters of the models
// and of drift monitoring, serve/api.cpp; of connections and key refusals, serve/server.cpp).
// RequestMetrics is thread-safe.
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace playsight::monitoring {

using Labels = std::vector<std::pair<std::string, std::string>>;

struct Sample {
  Labels labels;
  double value = 0;
};

// Appends one family: its # HELP and # TYPE lines and a line per sample. type: "counter" or
// "gauge". Label values are escaped as the format requires (\\, \" and \n).
void write_family(std::string& out, const std::string& name, const std::string& type,
                  const std::string& help, const std::vector<Sample>& samples);

// Upper bounds in seconds of the latency histogram's buckets (+Inf is added).
std::vector<double> default_latency_buckets();

// A counter with labels, e.g. players predicted per (model, alias, version). Thread-safe.
class CounterFamily {
 public:
  void add(const Labels& labels, double amount) {
    const std::lock_guard lock(mutex_);
    values_[labels] += amount;
  }
  std::vector<Sample> samples() const {
    const std::lock_guard lock(mutex_);
    std::vector<Sample> out;
    for (const auto& [labels, value] : values_) out.push_back({labels, value});
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::map<Labels, double> values_;
};

class RequestMetrics {
 public:
  explicit RequestMetrics(std::vector<double> buckets = default_latency_buckets());

  void record(const std::string& route, const std::string& method, int code, double seconds);
  // Appends the three request families.
  void write(std::string& out) const;

 private:
  struct Histogram {
    std::vector<std::uint64_t> counts;  // per bucket, not cumulative; the last is +Inf
    double sum = 0;
    std::uint64_t count = 0;
  };
  using RouteKey = std::pair<std::string, std::string>;  // route, method

  std::vector<double> buckets_;
  mutable std::mutex mutex_;
  std::map<std::pair<RouteKey, int>, std::uint64_t> requests_;  // by code
  std::map<RouteKey, Histogram> latency_;
};

}  // namespace playsight::monitoring
