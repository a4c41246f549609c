#include "audience/audience_report.h"

#include <cmath>
#include <cstdio>

#include "core/html.h"
#include "core/rounding.h"

namespace playsight::audience {
namespace {

using Json = nlohmann::ordered_json;

Json summary_json(const AudienceSummary& s) {
  Json expressions = Json::object();
  for (const auto& [name, p] : s.expressions_while_looking) expressions[name] = rounded(p, 4);
  return {{"analysed_seconds", rounded(s.analysed_s, 2)},
          {"frames_analysed", s.frames},
          {"passers_by", s.passers_by},
          {"viewers", s.viewers},
          {"view_rate", rounded(s.view_rate, 4)},
          {"mean_dwell_seconds", rounded(s.mean_dwell_s, 2)},
          {"median_dwell_seconds", rounded(s.median_dwell_s, 2)},
          {"mean_attention_seconds", rounded(s.mean_attention_s, 2)},
          {"median_attention_seconds", rounded(s.median_attention_s, 2)},
          {"peak_concurrent_people", s.peak_concurrent},
          {"expressions_while_looking", expressions}};
}

}  // namespace

Json second_json(const SecondRecord& second) {
  return {{"second", second.second},
          {"people", second.people},
          {"new_people", second.new_people},
          {"viewers", second.viewers},
          {"peak_people", second.peak_people}};
}

Json frame_json(std::int64_t frame, double time_s,
                const std::vector<AudienceAnalyser::FramePerson>& people) {
  Json list = Json::array();
  for (const auto& p : people) {
    list.push_back(
        {{"id", p.id},
         {"box",
          {rounded(p.box.x1, 1), rounded(p.box.y1, 1), rounded(p.box.x2, 1), rounded(p.box.y2, 1)}},
         {"in_zone", p.in_zone},
         {"looking", p.looking}});
  }
  return {{"frame", frame}, {"time_s", rounded(time_s, 3)}, {"people", list}};
}

Json audience_json(const VideoAudienceResult& result, const VideoAudienceOptions& options) {
  Json j;
  j["kind"] = kAudienceKind;
  Json zone = Json::array();
  for (const Point& p : options.audience.zone) zone.push_back({p.x, p.y});
  j["source"] = {{"path", options.source},
                 {"fps", result.fps},
                 {"width", result.width},
                 {"height", result.height},
                 {"frames_expected", result.frames_expected}};
  j["run"] = {
      {"frames_read", result.frames_read},
      {"frames_analysed", result.frames_analysed},
      {"frames_dropped", result.frames_dropped},
      {"every", options.every},
      {"person_detector", options.person_detector},
      {"face_detector", options.face_detector},
      {"zone", zone},
      {"look_seconds", options.audience.look_seconds},
      {"video_seconds", rounded(result.video_seconds, 2)},
      {"wall_seconds", rounded(result.wall_seconds, 2)},
      {"speed_vs_real_time", result.wall_seconds > 0
                                 ? Json(rounded(result.video_seconds / result.wall_seconds, 2))
                                 : Json()},
      {"ended_early", result.ended_early},
      {"note", result.note}};
  j["summary"] = summary_json(result.audience.summary);
  Json minutes = Json::array();
  for (const MinuteRecord& m : result.audience.minutes) {
    minutes.push_back({{"minute", m.minute}, {"passers_by", m.passers_by}, {"viewers", m.viewers}});
  }
  j["minutes"] = minutes;
  Json seconds = Json::array();
  for (const SecondRecord& s : result.audience.seconds) seconds.push_back(second_json(s));
  j["seconds"] = seconds;
  Json people = Json::array();
  for (const PersonRecord& p : result.audience.people) {
    Json expressions = Json::object();
    for (const auto& [name, value] : p.expressions) expressions[name] = rounded(value, 4);
    people.push_back({{"id", p.id},
                      {"first_seen_s", rounded(p.first_seen_s, 2)},
                      {"last_seen_s", rounded(p.last_seen_s, 2)},
                      {"dwell_s", rounded(p.dwell_s, 2)},
                      {"attention_s", rounded(p.attention_s, 2)},
                      {"looked", p.looked},
                      {"expressions_while_looking", expressions}});
  }
  j["people"] = people;
  return j;
}

std::string audience_summary(const VideoAudienceResult& result) {
  const AudienceSummary& s = result.audience.summary;
  char text[1024];
  std::snprintf(text, sizeof text,
                "%.1f s of video (%lld frames analysed) in %.1f s: %.1fx real time\n"
                "passers-by %d, viewers %d (view rate %.0f%%), peak %d people at once\n"
                "dwell: mean %.1f s, median %.1f s; attention (viewers): mean %.1f s, median "
                "%.1f s\n",
                result.video_seconds, static_cast<long long>(result.frames_analysed),
                result.wall_seconds,
                result.wall_seconds > 0 ? result.video_seconds / result.wall_seconds : 0.0,
                s.passers_by, s.viewers, 100 * s.view_rate, s.peak_concurrent, s.mean_dwell_s,
                s.median_dwell_s, s.mean_attention_s, s.median_attention_s);
  std::string out = text;
  if (!s.expressions_while_looking.empty()) {
    out += "expressions while looking:";
    for (const auto& [name, p] : s.expressions_while_looking) {
      std::snprintf(text, sizeof text, " %s %.0f%%", name.c_str(), 100 * p);
      out += text;
    }
    out += "\n";
  }
  if (!result.note.empty()) out += "note: " + result.note + "\n";
  return out;
}

std::string audience_html(const VideoAudienceResult& result, const VideoAudienceOptions& options) {
  const Json data = audience_json(result, options);
  const AudienceSummary& s = result.audience.summary;
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta "
      "name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Audience: " +
      escape_html(options.source) +
      "</title>\n<style>\nbody{margin:0;background:#f6f7f9;color:#1d2330;font:14px/1.5 "
      "system-ui,sans-serif}main{max-width:1300px;margin:0 auto;padding:24px}h1{font-size:22px;"
      "margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}.context{color:#5f6b7a}.facts{display:"
      "flex;flex-wrap:wrap;gap:10px;padding:0;list-style:none}.facts li{background:#fff;border:"
      "1px solid #dde2e8;border-radius:8px;padding:8px 14px}.facts b{display:block;font-size:"
      "18px}.facts span{color:#5f6b7a;font-size:12px}.chart{background:#fff;border:1px solid "
      "#dde2e8;border-radius:8px;padding:12px;height:320px;margin-top:12px}.grid{display:grid;"
      "grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:12px}.note{color:#9a3412}"
      "table{border-collapse:collapse;background:#fff}td,th{padding:4px 10px;border-bottom:1px "
      "solid #dde2e8;text-align:right}footer{color:#5f6b7a;font-size:12px;margin-top:30px}\n"
      "</style>\n</head>\n<body>\n<main>\n<h1>Audience of " +
      escape_html(options.source) + "</h1>\n";
  char line[512];
  std::snprintf(line, sizeof line,
                "<p class=\"context\">%.1f s of video, %dx%d at %.1f fps, analysed at %.1fx real "
                "time; people by %s, faces by %s; a viewer looked for at least %.1f s.</p>\n",
                result.video_seconds, result.width, result.height, result.fps,
                result.wall_seconds > 0 ? result.video_seconds / result.wall_seconds : 0.0,
                options.person_detector.c_str(), options.face_detector.c_str(),
                options.audience.look_seconds);
  out += line;
  if (!result.note.empty()) out += "<p class=\"note\">" + escape_html(result.note) + "</p>\n";
  const auto fact = [&](const std::string& value, const std::string& label) {
    out += "<li><b>" + escape_html(value) + "</b><span>" + escape_html(label) + "</span></li>";
  };
  out += "<ul class=\"facts\">";
  fact(std::to_string(s.passers_by), "passers-by (opportunities to see)");
  fact(std::to_string(s.viewers), "viewers");
  std::snprintf(line, sizeof line, "%.0f%%", 100 * s.view_rate);
  fact(line, "view rate");
  std::snprintf(line, sizeof line, "%.1f s / %.1f s", s.mean_dwell_s, s.median_dwell_s);
  fact(line, "dwell time, mean / median");
  std::snprintf(line, sizeof line, "%.1f s / %.1f s", s.mean_attention_s, s.median_attention_s);
  fact(line, "attention time of viewers, mean / median");
  fact(std::to_string(s.peak_concurrent), "most people at once");
  out += "</ul>\n";
  out +=
      "<h2>People per second</h2><div class=\"chart\"><canvas id=\"timeline\"></canvas></div>\n"
      "<div class=\"grid\"><div class=\"chart\"><canvas id=\"dwell\"></canvas></div><div "
      "class=\"chart\"><canvas id=\"attention\"></canvas></div></div>\n"
      "<h2>Expressions while looking</h2><div class=\"chart\"><canvas "
      "id=\"expressions\"></canvas></div>\n<h2>Per minute</h2><table><tr><th>minute</th>"
      "<th>passers-by</th><th>viewers</th></tr>";
  for (const MinuteRecord& m : result.audience.minutes) {
    std::snprintf(line, sizeof line, "<tr><td>%lld</td><td>%d</td><td>%d</td></tr>",
                  static_cast<long long>(m.minute), m.passers_by, m.viewers);
    out += line;
  }
  out += "</table>\n<footer>playsight. No face image is stored. Charts drawn with " +
         escape_html(chart_js_version()) +
         " (MIT licence), embedded: the page opens offline.</footer>\n</main>\n<script>";
  out += chart_js_source();
  out += "</script>\n<script type=\"application/json\" id=\"data\">" + script_safe_json(data) +
         "</script>\n<script>\n"
         R"js((function () {
  'use strict';
  const d = JSON.parse(document.getElementById('data').textContent);
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  const seconds = d.seconds;
  new Chart(document.getElementById('timeline'), {
    type: 'line',
    data: { labels: seconds.map((s) => s.second), datasets: [
      { label: 'people (distinct, in the zone)', data: seconds.map((s) => s.people), borderColor: '#2458a6', pointRadius: 0, stepped: true },
      { label: 'viewers (looking)', data: seconds.map((s) => s.viewers), borderColor: '#1d7a3e', pointRadius: 0, stepped: true },
      { label: 'new people', data: seconds.map((s) => s.new_people), borderColor: '#e8710a', pointRadius: 0, stepped: true, hidden: true },
    ] },
    options: { scales: { x: { title: { display: true, text: 'second of video' } }, y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  // A chart with nothing to show says so instead.
  function say(id, text) {
    const box = document.getElementById(id).parentNode;
    box.textContent = text;
    box.style.color = '#5f6b7a';
  }
  function histogram(id, values, title) {
    if (!values.length) return say(id, 'No ' + title + ': nobody looked at the screen long enough.');
    const edges = [0, 1, 2, 3, 5, 10, 20, 30, 60, 120, Infinity];
    const counts = edges.slice(0, -1).map((lo, i) => values.filter((v) => v >= lo && v < edges[i + 1]).length);
    const labels = edges.slice(0, -1).map((lo, i) => (edges[i + 1] === Infinity ? lo + ' s+' : lo + '-' + edges[i + 1] + ' s'));
    new Chart(document.getElementById(id), { type: 'bar', data: { labels, datasets: [{ label: title, data: counts, backgroundColor: '#2458a6' }] },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'people' } } } } });
  }
  histogram('dwell', d.people.map((p) => p.dwell_s), 'dwell time in the zone');
  histogram('attention', d.people.filter((p) => p.looked).map((p) => p.attention_s), 'attention time of viewers');
  const e = d.summary.expressions_while_looking;
  if (!Object.keys(e).length) return say('expressions', 'No face turned to the screen, so no expressions while looking.');
  new Chart(document.getElementById('expressions'), { type: 'bar', data: { labels: Object.keys(e),
    datasets: [{ label: 'mean probability while looking', data: Object.values(e), backgroundColor: '#1d7a3e' }] },
    options: { scales: { y: { beginAtZero: true, max: 1 } } } });
})();)js"
         "\n</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace playsight::audience
