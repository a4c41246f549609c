// playsight audience: who passed a screen, who looked, for how long, with what expression, from a
// video file or a live stream. Writes seconds.jsonl (one line per second, while it runs),
// summary.json, report.html and, on request, an annotated video.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "audience/audience_report.h"
#include "core/error.h"
#include "tasks/vision_module/run.h"

namespace playsight::tasks::vision_module {
namespace {

// "x,y;x,y;x,y" -> points; errors name the point.
std::vector<audience::Point> parse_zone(const std::string& text) {
  std::vector<audience::Point> points;
  if (text.empty()) return points;
  std::stringstream list(text);
  std::string item;
  while (std::getline(list, item, ';')) {
    audience::Point p;
    char comma = 0;
    std::stringstream pair(item);
    if (!(pair >> p.x >> comma >> p.y) || comma != ',' || !(pair >> std::ws).eof()) {
      throw InputError("--zone: point " + std::to_string(points.size() + 1) + " '" + item +
                       "' is not x,y (the zone is x1,y1;x2,y2;x3,y3;... in pixels)");
    }
    points.push_back(p);
  }
  return points;
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw Error("cannot write " + path.string());
}

}  // namespace

Result run_audience(const Values& values) {
  quiet_opencv(values.count("threads"));
  audience::VideoAudienceOptions options;
  options.source = values.text("SOURCE");
  options.audience.zone = parse_zone(values.text("zone"));
  options.audience.look_seconds = values.number("look-seconds");
  options.every = static_cast<int>(values.integer("every"));
  options.person_detector = values.text("detector");
  options.face_detector = values.text("face-detector");
  options.annotate_path = values.text("annotate");
  options.max_missed_seconds = values.number("max-missed-seconds");
  options.max_seconds = values.number("max-seconds");
  options.live = values.flag("live");
  options.models_folder = values.text("models");
  const std::string& out_text = values.text("out");
  const std::string& tracks_path = values.text("tracks");
  const std::filesystem::path out(out_text);
  std::filesystem::create_directories(out);
  std::ofstream seconds(out / "seconds.jsonl", std::ios::binary);
  if (!seconds) throw Error("cannot write " + (out / "seconds.jsonl").string());
  options.on_second = [&seconds](const audience::SecondRecord& second) {
    seconds << audience::second_json(second).dump() << '\n';
    seconds.flush();  // readable while a stream runs
  };
  std::ofstream tracks;
  if (!tracks_path.empty()) {
    tracks.open(tracks_path, std::ios::binary);
    if (!tracks) throw InputError(tracks_path + ": cannot write the tracks here (--tracks)");
    options.on_frame = [&tracks](
                           std::int64_t frame, double time,
                           const std::vector<audience::AudienceAnalyser::FramePerson>& people) {
      tracks << audience::frame_json(frame, time, people).dump() << '\n';
    };
  }
  const audience::VideoAudienceResult result = audience::analyse_video_audience(options);
  write_text(out / "summary.json", audience::audience_json(result, options).dump(2) + "\n");
  write_text(out / "report.html", audience::audience_html(result, options));
  std::fputs(audience::audience_summary(result).c_str(), stdout);
  std::printf("report: %s/report.html (summary.json, seconds.jsonl%s%s)\n", out_text.c_str(),
              options.annotate_path.empty() ? "" : ", annotated video ",
              options.annotate_path.c_str());
  if (result.ended_early) std::fprintf(stderr, "playsight: warning: %s\n", result.note.c_str());
  return {{{"summary", out_text + "/summary.json"},
           {"seconds", out_text + "/seconds.jsonl"},
           {"report", out_text + "/report.html"}}};
}

}  // namespace playsight::tasks::vision_module
