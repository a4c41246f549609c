// playsight playtest: the tester's expressions over a play session (a face-cam video or a live
// stream), their moments, covered-camera stretches and the expressions around game events;
// `playtest eval` scores the expression model on labelled images; `playtest summary` compares
// sessions of one build.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "playtest/session_report.h"
#include "tasks/vision_module/run.h"

namespace playsight::tasks::vision_module {
namespace {

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw Error("cannot write " + path.string());
}

}  // namespace

Result run_playtest(const Values& values) {
  playtest::SessionOptions options;
  options.source = values.text("SOURCE");
  if (options.source.empty())
    throw InputError("playtest: give a face-cam video or stream (or: playtest eval, summary)");
  quiet_opencv(values.count("threads"));
  options.events_path = values.text("events");
  options.tester = values.text("tester");
  options.build = values.text("build");
  options.every = static_cast<int>(values.integer("every"));
  options.max_seconds = values.number("max-seconds");
  options.live = values.flag("live");
  options.annotate_path = values.text("annotate");
  options.blur_faces = !values.flag("show-faces");
  options.moments.min_rise = values.number("min-rise");
  options.face_detector = values.text("face-detector");
  options.models_folder = values.text("models");
  const std::string& out_text = values.text("out");
  const std::filesystem::path out(out_text);
  std::filesystem::create_directories(out);
  std::ofstream seconds(out / "seconds.jsonl", std::ios::binary);
  options.on_second = [&seconds](const playtest::SecondOfSession& second) {
    seconds << playtest::second_json(second).dump() << '\n';
    seconds.flush();  // readable while a live session runs
  };
  const playtest::SessionResult result = playtest::analyse_session(options);
  write_text(out / "session.json", playtest::session_json(result, options).dump(2) + "\n");
  write_text(out / "report.html", playtest::session_html(result, options));
  std::fputs(playtest::session_summary(result).c_str(), stdout);
  std::printf("report: %s/report.html (session.json, seconds.jsonl)\n", out_text.c_str());
  return {{{"session", out_text + "/session.json"},
           {"seconds", out_text + "/seconds.jsonl"},
           {"report", out_text + "/report.html"}}};
}

Result run_playtest_eval(const Values& values) {
  quiet_opencv(0);
  playtest::EvalOptions options;
  options.labels_path = values.text("LABELS");
  options.crops = values.flag("crops");
  options.models_folder = values.text("models");
  const playtest::ExpressionEval eval = playtest::evaluate_expressions(options);
  std::fputs(playtest::eval_summary(eval).c_str(), stdout);
  const std::string& out = values.text("out");
  if (!out.empty()) write_text(out, playtest::eval_json(eval).dump(2) + "\n");
  return {};
}

Result run_playtest_summary(const Values& values) {
  const auto summary = playtest::sessions_summary(values.list("SESSIONS"));
  std::fputs(playtest::sessions_summary_text(summary).c_str(), stdout);
  const std::string& out = values.text("out");
  if (!out.empty()) write_text(out, summary.dump(2) + "\n");
  return {};
}

}  // namespace playsight::tasks::vision_module
