#include "monitoring/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace playsight::monitoring {
namespace {

std::string escape_label_value(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string labels_text(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ',';
    out += labels[i].first + "=\"" + escape_label_value(labels[i].second) + '"';
  }
  return out + '}';
}

// Prometheus floats: integers without a fraction, NaN and infinities by name.
std::string number_text(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char text[64];
  const auto end = std::to_chars(text, text + sizeof text, value).ptr;  // shortest round-trip
  return std::string(text, end);
}

void write_sample(std::string& out, const std::string& name, const Labels& labels, double value) {
  out += name;
  out += labels_text(labels);
  out += ' ';
  out += number_text(value);
  out += '\n';
}

}  // namespace

void write_family(std::string& out, const std::string& name, const std::string& type,
                  const std::string& help, const std::vector<Sample>& samples) {
  out += "# HELP " + name + ' ' + help + '\n';
  out += "# TYPE " + name + ' ' + type + '\n';
  for (const Sample& sample : samples) write_sample(out, name, sample.labels, sample.value);
}

std::vector<double> default_latency_buckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

RequestMetrics::RequestMetrics(std::vector<double> buckets) : buckets_(std::move(buckets)) {
  std::sort(buckets_.begin(), buckets_.end());
}

void RequestMetrics::record(const std::string& route, const std::string& method, int code,
                            double seconds) {
  const std::size_t bucket =
      std::lower_bound(buckets_.begin(), buckets_.end(), seconds) - buckets_.begin();
  const std::lock_guard lock(mutex_);
  RouteKey key{route, method};
  ++requests_[{key, code}];
  Histogram& histogram = latency_[key];
  if (histogram.counts.empty()) histogram.counts.assign(buckets_.size() + 1, 0);
  ++histogram.counts[bucket];
  histogram.sum += seconds;
  ++histogram.count;
}

void RequestMetrics::write(std::string& out) const {
  const std::lock_guard lock(mutex_);
  std::vector<Sample> requests;
  std::map<std::pair<RouteKey, std::string>, std::uint64_t> errors;
  for (const auto& [key, count] : requests_) {
    const auto& [route, code] = key;
    requests.push_back(
        {{{"route", route.first}, {"method", route.second}, {"code", std::to_string(code)}},
         static_cast<double>(count)});
    if (code >= 400) errors[{route, code >= 500 ? "server" : "client"}] += count;
  }
  write_family(out, "playsight_http_requests_total", "counter",
               "HTTP requests answered, by route pattern, method and status code.", requests);
  std::vector<Sample> error_samples;
  for (const auto& [key, count] : errors)
    error_samples.push_back(
        {{{"route", key.first.first}, {"method", key.first.second}, {"class", key.second}},
         static_cast<double>(count)});
  write_family(out, "playsight_http_request_errors_total", "counter",
               "HTTP requests answered with a 4xx (class client) or 5xx (class server) status.",
               error_samples);

  const std::string name = "playsight_http_request_duration_seconds";
  out += "# HELP " + name + " Time from the request's arrival at its handler to the answer.\n";
  out += "# TYPE " + name + " histogram\n";
  for (const auto& [key, histogram] : latency_) {
    const Labels labels = {{"route", key.first}, {"method", key.second}};
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b <= buckets_.size(); ++b) {
      cumulative += histogram.counts[b];
      Labels bucket_labels = labels;
      bucket_labels.emplace_back("le", b < buckets_.size() ? number_text(buckets_[b]) : "+Inf");
      write_sample(out, name + "_bucket", bucket_labels, static_cast<double>(cumulative));
    }
    write_sample(out, name + "_sum", labels, histogram.sum);
    write_sample(out, name + "_count", labels, static_cast<double>(histogram.count));
  }
}

}  // namespace playsight::monitoring
