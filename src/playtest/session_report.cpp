#include "playtest/session_report.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>

#include "core/error.h"
#include "core/html.h"
#include "core/rounding.h"

namespace playsight::playtest {
namespace {

using Json = nlohmann::ordered_json;

Json expressions_json(const Expressions& values) {
  Json j = Json::object();
  for (std::size_t k = 0; k < kExpressionCount; ++k)
    j[expression_names()[k]] = rounded(values[k], 4);
  return j;
}

}  // namespace

Json second_json(const SecondOfSession& s) {
  Json j{{"second", s.second},
         {"face_visible", s.face_visible},
         {"visible_share", rounded(s.visible_share, 3)}};
  j["expressions"] = s.face_visible ? expressions_json(s.mean) : Json(nullptr);
  j["smoothed"] = s.face_visible ? expressions_json(s.smoothed) : Json(nullptr);
  return j;
}

Json session_json(const SessionResult& r, const SessionOptions& o) {
  Json j;
  j["kind"] = kSessionKind;
  j["source"] = {{"path", o.source}, {"fps", r.fps}, {"width", r.width}, {"height", r.height}};
  j["tester"] = o.tester;
  j["build"] = o.build;
  j["run"] = {{"frames_read", r.frames_read},
              {"frames_analysed", r.frames_analysed},
              {"frames_dropped", r.frames_dropped},
              {"frames_with_face", r.frames_with_face},
              {"video_seconds", rounded(r.video_seconds, 2)},
              {"wall_seconds", rounded(r.wall_seconds, 2)},
              {"speed_vs_real_time",
               r.wall_seconds > 0 ? Json(rounded(r.video_seconds / r.wall_seconds, 2)) : Json()},
              {"ended_early", r.ended_early},
              {"note", r.note},
              {"warnings", r.warnings}};
  j["baseline"] = expressions_json(r.baseline.median);
  Json moments = Json::array();
  for (const Moment& m : r.moments) {
    moments.push_back({{"expression", m.expression},
                       {"reading", m.reading},
                       {"start_s", m.start_s},
                       {"end_s", m.end_s},
                       {"peak_s", m.peak_s},
                       {"peak_probability", rounded(m.peak_probability, 4)},
                       {"baseline", rounded(m.baseline, 4)},
                       {"score", rounded(m.score, 4)}});
  }
  j["moments"] = moments;
  Json covered = Json::array();
  for (const Stretch& s : r.no_face)
    covered.push_back({{"start_s", s.start_s}, {"end_s", s.end_s}});
  j["no_face"] = covered;
  Json events = Json::array();
  if (r.events) {
    for (const EventSummary& e : r.events->kinds) {
      events.push_back({{"event", e.kind},
                        {"events", e.events},
                        {"with_face", e.with_face},
                        {"strongest", e.strongest},
                        {"mean", expressions_json(e.mean)},
                        {"change", expressions_json(e.change)}});
    }
  }
  j["events"] = events;
  j["events_outside_video"] = r.events ? r.events->outside_video : 0;
  Json seconds = Json::array();
  for (const SecondOfSession& s : r.seconds) seconds.push_back(second_json(s));
  j["seconds"] = seconds;
  return j;
}

std::string session_summary(const SessionResult& r) {
  char line[512];
  std::string out;
  std::snprintf(line, sizeof line,
                "%.1f s of video (%lld frames analysed, the tester's face in %lld) in %.1f s: "
                "%.1fx real time\n",
                r.video_seconds, static_cast<long long>(r.frames_analysed),
                static_cast<long long>(r.frames_with_face), r.wall_seconds,
                r.wall_seconds > 0 ? r.video_seconds / r.wall_seconds : 0.0);
  out += line;
  out += "moments (" + std::to_string(r.moments.size()) + "):\n";
  for (std::size_t k = 0; k < r.moments.size() && k < 10; ++k) {
    const Moment& m = r.moments[k];
    std::snprintf(line, sizeof line,
                  "  %2zu. %-9s %6.0f-%-6.0f s  %-8s peak %.2f at %.0f s (baseline %.2f)\n", k + 1,
                  m.reading.c_str(), m.start_s, m.end_s, m.expression.c_str(), m.peak_probability,
                  m.peak_s, m.baseline);
    out += line;
  }
  for (const Stretch& s : r.no_face) {
    std::snprintf(line, sizeof line, "  no face visible %.0f-%.0f s\n", s.start_s, s.end_s);
    out += line;
  }
  if (r.events) {
    for (const EventSummary& e : r.events->kinds) {
      std::snprintf(line, sizeof line, "  around %-12s (%d): %s %+.2f\n", e.kind.c_str(), e.events,
                    e.strongest.c_str(),
                    e.strongest.empty()
                        ? 0.0
                        : e.change[static_cast<std::size_t>(expression_index(e.strongest))]);
      out += line;
    }
  }
  for (const std::string& w : r.warnings) out += "warning: " + w + "\n";
  if (!r.note.empty()) out += "note: " + r.note + "\n";
  return out;
}

std::string session_html(const SessionResult& r, const SessionOptions& o) {
  const Json data = session_json(r, o);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta "
      "name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Playtest: " +
      escape_html(o.source) +
      "</title>\n<style>\nbody{margin:0;background:#f6f7f9;color:#1d2330;font:14px/1.5 "
      "system-ui,sans-serif}main{max-width:1300px;margin:0 auto;padding:24px}h1{font-size:22px;"
      "margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}.context{color:#5f6b7a}.chart{"
      "background:#fff;border:1px solid #dde2e8;border-radius:8px;padding:12px;height:380px}"
      "table{border-collapse:collapse;background:#fff}td,th{padding:4px 10px;border-bottom:1px "
      "solid #dde2e8;text-align:left}.warn{color:#9a3412}footer{color:#5f6b7a;font-size:12px;"
      "margin-top:30px}\n</style>\n</head>\n<body>\n<main>\n<h1>Play session " +
      escape_html(o.tester.empty() ? o.source : o.tester + " (" + o.source + ")") + "</h1>\n";
  char line[512];
  std::snprintf(
      line, sizeof line,
      "<p class=\"context\">%.0f s of video; the tester's face in %.0f%% of the analysed "
      "frames; %zu moments; build %s.</p>\n",
      r.video_seconds,
      r.frames_analysed ? 100.0 * static_cast<double>(r.frames_with_face) / r.frames_analysed : 0.0,
      r.moments.size(), o.build.empty() ? "not given" : escape_html(o.build).c_str());
  out += line;
  for (const std::string& w : r.warnings) out += "<p class=\"warn\">" + escape_html(w) + "</p>\n";
  if (!r.note.empty()) out += "<p class=\"warn\">" + escape_html(r.note) + "</p>\n";
  out +=
      "<h2>Expressions over the session</h2><div class=\"chart\"><canvas "
      "id=\"timeline\"></canvas></div>\n<p class=\"context\">Per second, smoothed over a few "
      "seconds; grey bars: no face visible (covered camera, tester away); dashed lines: game "
      "events.</p>\n<h2>Moments</h2><table><tr><th>#</th><th>reading</th><th>expression</th>"
      "<th>from</th><th>to</th><th>peak</th><th>baseline</th></tr>";
  for (std::size_t k = 0; k < r.moments.size(); ++k) {
    const Moment& m = r.moments[k];
    std::snprintf(line, sizeof line,
                  "<tr><td>%zu</td><td>%s</td><td>%s</td><td>%.0f s</td><td>%.0f s</td><td>%.2f "
                  "at %.0f s</td><td>%.2f</td></tr>",
                  k + 1, m.reading.c_str(), m.expression.c_str(), m.start_s, m.end_s,
                  m.peak_probability, m.peak_s, m.baseline);
    out += line;
  }
  out += "</table>\n";
  if (r.events) {
    out += "<h2>Around game events</h2><table><tr><th>event</th><th>count</th><th>rose most</th>";
    for (const auto& name : expression_names()) out += "<th>" + name + "</th>";
    out += "</tr>";
    for (const EventSummary& e : r.events->kinds) {
      out += "<tr><td>" + escape_html(e.kind) + "</td><td>" + std::to_string(e.events) +
             "</td><td>" + escape_html(e.strongest) + "</td>";
      for (std::size_t k = 0; k < kExpressionCount; ++k) {
        std::snprintf(line, sizeof line, "<td>%+.2f</td>", e.change[k]);
        out += line;
      }
      out += "</tr>";
    }
    out += "</table>\n";
  }
  out += "<footer>playsight. Numbers only: no face image is stored. Charts drawn with " +
         escape_html(chart_js_version()) + " (MIT licence), embedded.</footer>\n</main>\n<script>";
  out += chart_js_source();
  out += "</script>\n<script type=\"application/json\" id=\"data\">" + script_safe_json(data) +
         "</script>\n<script>\n"
         R"js((function () {
  'use strict';
  const d = JSON.parse(document.getElementById('data').textContent);
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  const names = ['happy', 'surprise', 'neutral', 'sad', 'angry', 'fear', 'disgust'];
  const colours = { happy: '#1d7a3e', surprise: '#e8710a', neutral: '#9aa3ad', sad: '#2458a6', angry: '#c5221f', fear: '#7b3fb2', disgust: '#8c564b' };
  const labels = d.seconds.map((s) => s.second);
  const datasets = names.map((n) => ({ type: 'line', label: n, data: d.seconds.map((s) => (s.smoothed ? s.smoothed[n] : null)),
    borderColor: colours[n], backgroundColor: colours[n], pointRadius: 0, borderWidth: n === 'neutral' ? 1 : 2, spanGaps: false }));
  datasets.push({ type: 'bar', label: 'no face visible', data: d.seconds.map((s) => (s.face_visible ? null : 1)),
    backgroundColor: 'rgba(120, 120, 120, 0.25)', barPercentage: 1, categoryPercentage: 1 });
  new Chart(document.getElementById('timeline'), { data: { labels, datasets },
    options: { scales: { x: { title: { display: true, text: 'second of the session' } }, y: { min: 0, max: 1, title: { display: true, text: 'probability' } } },
      plugins: { legend: { position: 'bottom' } } } });
})();)js"
         "\n</script>\n</body>\n</html>\n";
  return out;
}

Json eval_json(const ExpressionEval& e) {
  Json j{{"images", e.images},
         {"evaluated", e.evaluated},
         {"without_face", e.without_face},
         {"unreadable", e.unreadable},
         {"problems", e.problems},
         {"accuracy", rounded(e.accuracy, 4)}};
  Json classes = Json::object();
  for (std::size_t k = 0; k < kExpressionCount; ++k) {
    classes[expression_names()[k]] = {{"support", e.support[k]},
                                      {"recall", rounded(e.recall[k], 4)},
                                      {"precision", rounded(e.precision[k], 4)}};
  }
  j["classes"] = classes;
  j["labels"] = expression_names();
  Json matrix = Json::array();
  for (const auto& row : e.confusion) matrix.push_back(row);
  j["confusion"] = matrix;  // rows: label, columns: answer, in the order of "labels"
  return j;
}

std::string eval_summary(const ExpressionEval& e) {
  char line[256];
  std::string out;
  std::snprintf(line, sizeof line, "%d images: %d evaluated, %d without a face, %d unreadable\n",
                e.images, e.evaluated, e.without_face, e.unreadable);
  out += line;
  std::snprintf(line, sizeof line,
                "accuracy %.1f%%\n\n%-9s %7s %7s %9s   confusion (rows: label)\n", 100 * e.accuracy,
                "class", "support", "recall", "precision");
  out += line;
  for (std::size_t k = 0; k < kExpressionCount; ++k) {
    std::snprintf(line, sizeof line, "%-9s %7d %6.1f%% %8.1f%%  ", expression_names()[k].c_str(),
                  e.support[k], 100 * e.recall[k], 100 * e.precision[k]);
    out += line;
    for (int count : e.confusion[k]) {
      std::snprintf(line, sizeof line, " %5d", count);
      out += line;
    }
    out += "\n";
  }
  out += std::string(36, ' ');
  for (const auto& name : expression_names()) {
    std::snprintf(line, sizeof line, " %5.5s", name.c_str());
    out += line;
  }
  out += "\n";
  for (const std::string& p : e.problems) out += "  " + p + "\n";
  return out;
}

Json sessions_summary(const std::vector<std::string>& files) {
  // build -> event -> sums of change weighted by events, and counts.
  std::map<std::string, std::map<std::string, std::pair<Expressions, double>>> sums;
  std::map<std::string, int> sessions;
  for (const std::string& file : files) {
    std::ifstream in(file);
    if (!in) throw InputError(file + ": cannot be read");
    Json session;
    try {
      session = Json::parse(in);
    } catch (const Json::exception& error) {
      throw InputError(file + ": not JSON (" + std::string(error.what()) + ")");
    }
    if (session.value("kind", "") != "playsight.playtest_session")
      throw InputError(file + ": not a playsight playtest session report (session.json)");
    const std::string build = session.value("build", "");
    ++sessions[build];
    for (const auto& e : session["events"]) {
      auto& [sum, weight] = sums[build][e["event"].get<std::string>()];
      const double n = e["with_face"].get<double>();
      for (std::size_t k = 0; k < kExpressionCount; ++k)
        sum[k] += n * e["change"][expression_names()[k]].get<double>();
      weight += n;
    }
  }
  Json builds = Json::array();
  for (const auto& [build, events] : sums) {
    Json b{{"build", build}, {"sessions", sessions[build]}};
    Json list = Json::array();
    for (const auto& [event, entry] : events) {
      Expressions mean{};
      for (std::size_t k = 0; k < kExpressionCount; ++k)
        mean[k] = entry.second > 0 ? entry.first[k] / entry.second : 0;
      list.push_back({{"event", event},
                      {"events_with_face", entry.second},
                      {"change", expressions_json(mean)}});
    }
    b["events"] = list;
    builds.push_back(b);
  }
  return {{"kind", "playsight.playtest_summary"}, {"builds", builds}};
}

std::string sessions_summary_text(const Json& summary) {
  std::string out;
  char line[256];
  for (const auto& b : summary["builds"]) {
    out += "build " +
           (b["build"].get<std::string>().empty() ? std::string("(not given)")
                                                  : b["build"].get<std::string>()) +
           ": " + std::to_string(b["sessions"].get<int>()) + " sessions\n";
    for (const auto& e : b["events"]) {
      std::snprintf(line, sizeof line, "  %-14s (%3.0f)", e["event"].get<std::string>().c_str(),
                    e["events_with_face"].get<double>());
      out += line;
      for (const auto& name : expression_names()) {
        std::snprintf(line, sizeof line, " %s %+.2f", name.c_str(),
                      e["change"][name].get<double>());
        out += line;
      }
      out += "\n";
    }
  }
  return out;
}

}  // namespace playsight::playtest
