// A composed face-cam clip with known segments through the real detector and expression model,
// game events, labelled images, and the real binary.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "../support/checks.h"
#include "../support/temp_dir.h"
#include "playtest/expression_eval.h"
#include "playtest/play_session.h"
#include "playtest_support.h"

namespace playsight::playtest {
namespace {

using playsight::testing::input_error_of;
using playsight::testing::run_playsight;

TEST(PlaySession, TheMomentsAndTheCoveredCameraOfAComposedClip) {
  playsight::testing::TempDir dir;
  SessionOptions options;
  options.source = testing::compose_session_clip(dir.file("session.avi"));
  options.models_folder = testing::models_folder();
  options.events_path = dir.write("events.csv",
                                  "time_s,event,detail\n5,level_start,1\n12,boss,dragon\n"
                                  "18,death,fell\n28,death,lava\n40,level_end,1\n");
  const SessionResult result = analyse_session(options);
  std::printf("30 s of 640x480 video in %.1f s: %.1fx real time\n", result.wall_seconds,
              result.video_seconds / result.wall_seconds);
  EXPECT_EQ(result.frames_analysed, 300);
  ASSERT_EQ(result.seconds.size(), 30u);
  // The smile, 10-15 s, is the first moment (tolerance: one second at either end).
  ASSERT_FALSE(result.moments.empty());
  EXPECT_EQ(result.moments[0].expression, "happy");
  EXPECT_NEAR(result.moments[0].start_s, 10, 1);
  EXPECT_NEAR(result.moments[0].end_s, 15, 1);
  EXPECT_GT(result.moments[0].peak_probability, 0.8);
  // The covered camera, 22-26 s, is reported as such, and nothing is guessed there.
  ASSERT_EQ(result.no_face.size(), 1u);
  EXPECT_NEAR(result.no_face[0].start_s, 22, 1);
  EXPECT_NEAR(result.no_face[0].end_s, 26, 1);
  for (int s = 23; s < 25; ++s)
    EXPECT_FALSE(result.seconds[static_cast<std::size_t>(s)].face_visible);
  // Events: the boss came during the smile; the event after the video is counted apart.
  ASSERT_TRUE(result.events.has_value());
  ASSERT_EQ(result.events->kinds.size(), 3u);
  EXPECT_EQ(result.events->kinds[1].kind, "boss");
  EXPECT_EQ(result.events->kinds[1].strongest, "happy");
  EXPECT_GT(result.events->kinds[1].change[static_cast<std::size_t>(expression_index("happy"))],
            0.3);
  EXPECT_EQ(result.events->kinds[2].events, 2);
  EXPECT_EQ(result.events->outside_video, 1);
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_NE(result.warnings[0].find("1 events are at or after the end of the video"),
            std::string::npos);
}

TEST(PlaySession, AVideoWithoutAnyFaceSaysSo) {
  playsight::testing::TempDir dir;
  const std::string path = dir.file("empty.avi");
  cv::VideoWriter writer(path, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 10, {320, 240});
  for (int frame = 0; frame < 30; ++frame)
    writer.write(cv::Mat(240, 320, CV_8UC3, cv::Scalar(40, 40, 40)));
  writer.release();
  SessionOptions options;
  options.source = path;
  options.models_folder = testing::models_folder();
  const SessionResult result = analyse_session(options);
  EXPECT_TRUE(result.moments.empty());
  ASSERT_EQ(result.no_face.size(), 1u);
  EXPECT_DOUBLE_EQ(result.no_face[0].end_s, 3);
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_NE(result.warnings[0].find("no face was found in any frame"), std::string::npos);
}

TEST(GameEvents, BadFilesAreErrorsNamingLineAndColumn) {
  playsight::testing::TempDir dir;
  const std::string unknown = dir.write("a.csv", "time_s,event,level\n1,death,2\n");
  EXPECT_EQ(input_error_of([&] { read_game_events(unknown); }),
            unknown +
                ":1: unknown column 'level'; game events have time_s (seconds from the "
                "start of the video), event and optionally detail");
  const std::string bad_time = dir.write("b.csv", "time_s,event\n1,death\nsoon,boss\n");
  EXPECT_NE(
      input_error_of([&] { read_game_events(bad_time); }).find(bad_time + ":3: column 'time_s'"),
      std::string::npos);
  const std::string negative = dir.write("c.csv", "event,time_s\ndeath,-3\n");
  EXPECT_NE(input_error_of([&] { read_game_events(negative); }).find(":2: column 'time_s'"),
            std::string::npos);
}

TEST(ExpressionEval, AccuracyAndConfusionOnLabelledImages) {
  playsight::testing::TempDir dir;
  const cv::Mat samples =
      cv::imread(testing::source_dir() + "/node_modules/@vladmandic/human/assets/samples.jpg");
  cv::Mat smile, grey;
  cv::resize(samples(cv::Rect(275, 495, 100, 100)), smile, {300, 300});
  cv::imwrite(dir.file("smile.png"), smile);  // a tight crop, larger than 96 px: found by padding
  cv::cvtColor(samples(cv::Rect(300, 515, 55, 55)), grey, cv::COLOR_BGR2GRAY);
  cv::resize(grey, grey, {48, 48});
  cv::imwrite(dir.file("smile48.png"), grey);  // FER-style: the image is the face
  cv::imwrite(dir.file("wall.png"), cv::Mat(300, 300, CV_8UC3, cv::Scalar(90, 90, 90)));
  EvalOptions options;
  options.models_folder = testing::models_folder();
  options.labels_path = dir.write("labels.csv",
                                  "path,label\nsmile.png,happiness\nsmile48.png,happy\n"
                                  "smile.png,sad\nwall.png,neutral\nmissing.png,fear\n");
  const ExpressionEval eval = evaluate_expressions(options);
  EXPECT_EQ(eval.images, 5);
  EXPECT_EQ(eval.evaluated, 3);
  EXPECT_EQ(eval.without_face, 1);
  EXPECT_EQ(eval.unreadable, 1);
  const auto happy = static_cast<std::size_t>(expression_index("happy"));
  const auto sad = static_cast<std::size_t>(expression_index("sad"));
  // Both smiles are read as happy: right twice, and wrong for the one labelled sad.
  EXPECT_EQ(eval.confusion[happy][happy], 2);
  EXPECT_EQ(eval.confusion[sad][happy], 1);
  EXPECT_NEAR(eval.accuracy, 2.0 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(eval.recall[happy], 1);
  EXPECT_NEAR(eval.precision[happy], 2.0 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(eval.recall[sad], 0);
  // An unknown label is an error naming the line.
  options.labels_path = dir.write("bad.csv", "path,label\nsmile.png,joy\n");
  EXPECT_NE(input_error_of([&] {
              evaluate_expressions(options);
            }).find("bad.csv:2: column 'label': 'joy' is not an expression"),
            std::string::npos);
}

TEST(PlaytestCli, SessionSummaryAndErrors) {
  playsight::testing::TempDir dir;
  const std::string clip = testing::compose_session_clip(dir.file("session.avi"));
  const std::string events = dir.write("events.csv", "time_s,event\n12,boss\n18,death\n");
  for (const std::string tester : {"anna", "ben"}) {
    const auto run = run_playsight("playtest " + clip + " --events " + events + " --tester " +
                                   tester + " --build 1.2 --max-seconds 20 --out " +
                                   dir.file(tester) + " --annotate " + dir.file(tester + ".avi"));
    ASSERT_EQ(run.exit_code, 0) << run.output;
    EXPECT_NE(run.output.find("enjoyed"), std::string::npos) << run.output;
  }
  std::ifstream lines(dir.file("anna/seconds.jsonl"));
  int count = 0;
  for (std::string line; std::getline(lines, line);) ++count;
  EXPECT_EQ(count, 20);
  const auto summary = run_playsight("playtest summary " + dir.file("anna/session.json") + " " +
                                     dir.file("ben/session.json") + " --out " + dir.file("s.json"));
  ASSERT_EQ(summary.exit_code, 0) << summary.output;
  EXPECT_NE(summary.output.find("build 1.2: 2 sessions"), std::string::npos) << summary.output;
  const auto bad =
      run_playsight("playtest " + clip + " --events " + dir.write("e.csv", "t,event\n1,boss\n") +
                    " --out " + dir.file("x"));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("unknown column 't'"), std::string::npos) << bad.output;
  const auto not_session = run_playsight("playtest summary " + events);
  EXPECT_EQ(not_session.exit_code, 2);
}

}  // namespace
}  // namespace playsight::playtest
