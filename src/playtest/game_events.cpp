#include "playtest/game_events.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>

#include "core/csv_reader.h"
#include "core/error.h"

namespace playsight::playtest {

std::vector<GameEvent> read_game_events(const std::string& path) {
  {
    // The header first: unknown columns are an error, not ignored.
    std::ifstream in(path);
    std::string header;
    if (in && std::getline(in, header)) {
      if (!header.empty() && header.back() == '\r') header.pop_back();
      std::size_t start = 0;
      while (start <= header.size()) {
        const std::size_t comma = std::min(header.find(',', start), header.size());
        const std::string column = header.substr(start, comma - start);
        if (column != "time_s" && column != "event" && column != "detail") {
          throw InputError(path + ":1: unknown column '" + column +
                           "'; game events have time_s (seconds from the start of the video), "
                           "event and optionally detail");
        }
        start = comma + 1;
      }
    }
  }
  const CsvReader reader(path, {"time_s", "event"});
  const bool has_detail =
      std::find(reader.header().begin(), reader.header().end(), "detail") != reader.header().end();
  std::vector<GameEvent> events;
  CsvReadOptions options;
  options.threads = 1;
  reader.read(
      [&](unsigned) {
        return [&](const CsvRow& row) {
          GameEvent event;
          event.line = events.size() + 2;
          event.time_s = row.number(0);
          if (event.time_s < 0) row.fail(0, "a time in seconds from the start (>= 0) was expected");
          event.kind = std::string(row.text(1));
          if (event.kind.empty()) row.fail(1, "an event name was expected, got an empty field");
          events.push_back(event);
        };
      },
      options);
  if (has_detail) {
    const CsvReader details(path, {"detail"});
    std::size_t k = 0;
    details.read(
        [&](unsigned) {
          return [&](const CsvRow& row) { events[k++].detail = std::string(row.text(0)); };
        },
        options);
  }
  return events;
}

EventsResult summarise_events(const std::vector<GameEvent>& events,
                              const std::vector<SecondOfSession>& seconds,
                              const EventWindow& window) {
  const Baseline baseline = expression_baseline(seconds, 0.02);
  const double video_end = static_cast<double>(seconds.size());
  EventsResult result;
  std::map<std::string, std::size_t> index;
  std::vector<Expressions> sums;
  std::vector<double> counts;
  for (const GameEvent& event : events) {
    if (event.time_s >= video_end) {
      if (result.outside_video++ == 0) result.first_outside_s = event.time_s;
      continue;
    }
    auto [at, added] = index.emplace(event.kind, result.kinds.size());
    if (added) {
      result.kinds.push_back({});
      result.kinds.back().kind = event.kind;
      sums.push_back({});
      counts.push_back(0);
    }
    EventSummary& summary = result.kinds[at->second];
    ++summary.events;
    const auto first =
        static_cast<std::int64_t>(std::floor(std::max(0.0, event.time_s - window.before_s)));
    const auto last = static_cast<std::int64_t>(
        std::min(video_end - 1, std::floor(event.time_s + window.after_s)));
    bool seen = false;
    for (std::int64_t s = first; s <= last; ++s) {
      const SecondOfSession& second = seconds[static_cast<std::size_t>(s)];
      if (!second.face_visible) continue;
      seen = true;
      for (std::size_t k = 0; k < kExpressionCount; ++k) sums[at->second][k] += second.mean[k];
      counts[at->second] += 1;
    }
    if (seen) ++summary.with_face;
  }
  for (std::size_t i = 0; i < result.kinds.size(); ++i) {
    EventSummary& summary = result.kinds[i];
    if (counts[i] == 0) continue;
    double best = -1;
    for (std::size_t k = 0; k < kExpressionCount; ++k) {
      summary.mean[k] = sums[i][k] / counts[i];
      summary.change[k] = summary.mean[k] - baseline.median[k];
      if (expression_names()[k] != "neutral" && summary.change[k] > best) {
        best = summary.change[k];
        summary.strongest = expression_names()[k];
      }
    }
  }
  return result;
}

}  // namespace playsight::playtest
