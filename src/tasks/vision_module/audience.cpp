// playsight audience: who passed a screen, who looked, for how long, with what expression, from a
// video file or a live stream. Writes seconds.jsonl (one line per second, while it runs),
// summary.json, report.html and, on request, an annotated video.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <opencv2/core/utility.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <sstream>

#include "audience/audience_report.h"
#include "cli/commands.h"
#include "core/error.h"

namespace playsight::cli {
namespace {

struct AudienceFlags {
  audience::VideoAudienceOptions options;
  std::string zone;
  std::string out = "audience";
  std::string tracks;
  int threads = 0;
};

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

void run_audience(AudienceFlags& flags) {
  cv::setNumThreads(flags.threads > 0 ? flags.threads : -1);
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
  flags.options.audience.zone = parse_zone(flags.zone);
  const std::filesystem::path out(flags.out);
  std::filesystem::create_directories(out);
  std::ofstream seconds(out / "seconds.jsonl", std::ios::binary);
  if (!seconds) throw Error("cannot write " + (out / "seconds.jsonl").string());
  flags.options.on_second = [&seconds](const audience::SecondRecord& second) {
    seconds << audience::second_json(second).dump() << '\n';
    seconds.flush();  // readable while a stream runs
  };
  std::ofstream tracks;
  if (!flags.tracks.empty()) {
    tracks.open(flags.tracks, std::ios::binary);
    if (!tracks) throw InputError(flags.tracks + ": cannot write the tracks here (--tracks)");
    flags.options.on_frame =
        [&tracks](std::int64_t frame, double time,
                  const std::vector<audience::AudienceAnalyser::FramePerson>& people) {
          tracks << audience::frame_json(frame, time, people).dump() << '\n';
        };
  }
  const audience::VideoAudienceResult result = audience::analyse_video_audience(flags.options);
  write_text(out / "summary.json", audience::audience_json(result, flags.options).dump(2) + "\n");
  write_text(out / "report.html", audience::audience_html(result, flags.options));
  std::fputs(audience::audience_summary(result).c_str(), stdout);
  std::printf("report: %s/report.html (summary.json, seconds.jsonl%s%s)\n", flags.out.c_str(),
              flags.options.annotate_path.empty() ? "" : ", annotated video ",
              flags.options.annotate_path.c_str());
  if (result.ended_early) std::fprintf(stderr, "playsight: warning: %s\n", result.note.c_str());
}

}  // namespace

void add_audience_command(CLI::App& app) {
  auto flags = std::make_shared<AudienceFlags>();
  CLI::App* command = app.add_subcommand(
      "audience",
      "Audience of a screen from a camera beside it: passers-by, viewers, dwell and attention "
      "time, expressions while looking; per second, per minute and in total.");
  command->add_option("source", flags->options.source, "a video file or a stream URL (rtsp://...)")
      ->required();
  command->add_option("--out", flags->out, "folder for summary.json, seconds.jsonl, report.html")
      ->capture_default_str();
  command->add_option("--zone", flags->zone,
                      "polygon in front of the screen, x1,y1;x2,y2;... in pixels (default: the "
                      "whole frame); a person is in it when the bottom centre of their box is");
  command
      ->add_option("--look-seconds", flags->options.audience.look_seconds,
                   "attention (frontal face) a person needs to count as a viewer")
      ->capture_default_str();
  command->add_option("--every", flags->options.every, "analyse every Nth frame")
      ->capture_default_str();
  command->add_option("--detector", flags->options.person_detector, "person detector")
      ->capture_default_str();
  command
      ->add_option("--face-detector", flags->options.face_detector,
                   "face detector (with frontal flags and expressions), or none")
      ->capture_default_str();
  command->add_option("--annotate", flags->options.annotate_path,
                      "also write the video with boxes, ids and gaze marks (.avi, MJPG)");
  command->add_option("--tracks", flags->tracks,
                      "also write every analysed frame's tracked people (id, box, in zone, "
                      "looking) as JSON lines to this file");
  command
      ->add_option("--max-missed-seconds", flags->options.max_missed_seconds,
                   "how long a person's track survives without a detection (crossings, misses)")
      ->capture_default_str();
  command
      ->add_option("--max-seconds", flags->options.max_seconds,
                   "stop after this much video (0 = all)")
      ->capture_default_str();
  command->add_flag("--live", flags->options.live,
                    "pace a file as a live stream (streams are always paced): skip frames when "
                    "the analysis falls behind, and say how many");
  command->add_option("--models", flags->options.models_folder,
                      "folder of the TF.js models (default: as for detect)");
  command->add_option("--threads", flags->threads, "OpenCV worker threads (0 = one per core)")
      ->capture_default_str();
  command->callback([flags] { run_audience(*flags); });
}

}  // namespace playsight::cli
