// playsight playtest: the tester's expressions over a play session (a face-cam video or a live
// stream), their moments, covered-camera stretches and the expressions around game events;
// `playtest eval` scores the expression model on labelled images; `playtest summary` compares
// sessions of one build.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <opencv2/core/utility.hpp>
#include <opencv2/core/utils/logger.hpp>

#include "cli/commands.h"
#include "core/error.h"
#include "playtest/session_report.h"

namespace playsight::cli {
namespace {

struct PlaytestFlags {
  playtest::SessionOptions options;
  std::string out = "playtest";
  bool show_faces = false;
  int threads = 0;
  playtest::EvalOptions eval;
  std::string eval_out;
  std::vector<std::string> sessions;
  std::string summary_out;
};

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw Error("cannot write " + path.string());
}

void quiet_opencv(int threads) {
  cv::setNumThreads(threads > 0 ? threads : -1);
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
}

void run_session(PlaytestFlags& flags) {
  quiet_opencv(flags.threads);
  flags.options.blur_faces = !flags.show_faces;
  const std::filesystem::path out(flags.out);
  std::filesystem::create_directories(out);
  std::ofstream seconds(out / "seconds.jsonl", std::ios::binary);
  flags.options.on_second = [&seconds](const playtest::SecondOfSession& second) {
    seconds << playtest::second_json(second).dump() << '\n';
    seconds.flush();  // readable while a live session runs
  };
  const playtest::SessionResult result = playtest::analyse_session(flags.options);
  write_text(out / "session.json", playtest::session_json(result, flags.options).dump(2) + "\n");
  write_text(out / "report.html", playtest::session_html(result, flags.options));
  std::fputs(playtest::session_summary(result).c_str(), stdout);
  std::printf("report: %s/report.html (session.json, seconds.jsonl)\n", flags.out.c_str());
}

void run_eval(PlaytestFlags& flags) {
  quiet_opencv(flags.threads);
  const playtest::ExpressionEval eval = playtest::evaluate_expressions(flags.eval);
  std::fputs(playtest::eval_summary(eval).c_str(), stdout);
  if (!flags.eval_out.empty()) write_text(flags.eval_out, playtest::eval_json(eval).dump(2) + "\n");
}

void run_summary(PlaytestFlags& flags) {
  const auto summary = playtest::sessions_summary(flags.sessions);
  std::fputs(playtest::sessions_summary_text(summary).c_str(), stdout);
  if (!flags.summary_out.empty()) write_text(flags.summary_out, summary.dump(2) + "\n");
}

}  // namespace

void add_playtest_command(CLI::App& app) {
  auto flags = std::make_shared<PlaytestFlags>();
  CLI::App* command = app.add_subcommand(
      "playtest",
      "A playtest tester's expressions over a session from a face-cam video or stream: per-second "
      "timeline, moments, covered-camera stretches, expressions around game events.");
  command->add_option("source", flags->options.source, "face-cam video file or stream URL");
  command->add_option("--out", flags->out, "folder for session.json, seconds.jsonl, report.html")
      ->capture_default_str();
  command->add_option("--events", flags->options.events_path,
                      "game events CSV: time_s,event[,detail] (seconds from the video's start)");
  command->add_option("--tester", flags->options.tester, "who played (for the summary)");
  command->add_option("--build", flags->options.build, "which game build (for the summary)");
  command->add_option("--every", flags->options.every, "analyse every Nth frame")
      ->capture_default_str();
  command->add_option("--max-seconds", flags->options.max_seconds, "stop after this much video")
      ->capture_default_str();
  command->add_flag("--live", flags->options.live, "pace a file as a live stream");
  command->add_option("--annotate", flags->options.annotate_path,
                      "also write the video with the tester's face and top expression (faces "
                      "blurred)");
  command->add_flag("--show-faces", flags->show_faces,
                    "do not blur faces in the annotated video (ask the tester first)");
  command
      ->add_option("--min-rise", flags->options.moments.min_rise,
                   "how far above the tester's baseline an expression must rise to be a moment")
      ->capture_default_str();
  command->add_option("--face-detector", flags->options.face_detector, "face detector")
      ->capture_default_str();
  command->add_option("--models", flags->options.models_folder, "folder of the TF.js models");
  command->add_option("--threads", flags->threads, "OpenCV worker threads (0 = one per core)")
      ->capture_default_str();
  command->callback([flags, command] {
    if (command->get_subcommands().empty()) {
      if (flags->options.source.empty())
        throw InputError("playtest: give a face-cam video or stream (or: playtest eval, summary)");
      run_session(*flags);
    }
  });

  CLI::App* eval = command->add_subcommand(
      "eval",
      "Accuracy per class and the confusion matrix of the expression model on labelled "
      "images (LABELS.csv: path,label).");
  eval->add_option("labels", flags->eval.labels_path, "CSV of path,label")->required();
  eval->add_flag("--crops", flags->eval.crops,
                 "every image is a face crop (default: images up to 96 px are)");
  eval->add_option("--out", flags->eval_out, "also write the result as JSON here");
  eval->add_option("--models", flags->eval.models_folder, "folder of the TF.js models");
  eval->callback([flags] { run_eval(*flags); });

  CLI::App* summary = command->add_subcommand(
      "summary", "Across sessions: expressions around each kind of game event, per build.");
  summary->add_option("sessions", flags->sessions, "session.json files")->required();
  summary->add_option("--out", flags->summary_out, "also write the summary as JSON here");
  summary->callback([flags] { run_summary(*flags); });
}

}  // namespace playsight::cli
