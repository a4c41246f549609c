// Drives the real binary: `playsight detect` on an image and a video, `vision compare`, and bad
// input (exit code 2 with a message naming the file).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../support/temp_dir.h"
#include "vision_test_support.h"

namespace playsight::vision {
namespace {

testing::CommandResult playsight(const std::string& arguments) {
  return testing::run_command(std::string(PLAYSIGHT_BINARY) + " " + arguments + " --models '" +
                              testing::models_folder() + "'");
}

TEST(DetectCli, ImageGivesOneJsonObjectInPixelCoordinates) {
  ::playsight::testing::TempDir dir;
  const auto result = playsight("detect " + testing::opencv_data("messi5.jpg") +
                                " --detector blazeface --draw " + dir.file("drawn.png"));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const auto json = nlohmann::json::parse(result.output);
  ASSERT_GE(json["detections"].size(), 1u);
  const auto& face = json["detections"][0];
  EXPECT_EQ(face["label"], "face");
  EXPECT_GT(face["box"]["x2"].get<double>(), face["box"]["x1"].get<double>());
  EXPECT_LE(face["box"]["x2"].get<double>(), 548.0);
  EXPECT_TRUE(face.contains("frontal"));
  EXPECT_EQ(face["expression"].size(), 7u);
  EXPECT_EQ(face["keypoints"].size(), 6u);
  EXPECT_GT(std::filesystem::file_size(dir.file("drawn.png")), 1000u);
}

TEST(DetectCli, VideoGivesOneJsonLinePerFrame) {
  const auto result =
      playsight("detect " + testing::opencv_data("vtest.avi") + " --max-frames 3 --every 2");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  std::istringstream lines(result.output);
  std::string line;
  std::vector<int> frames;
  while (std::getline(lines, line)) {
    const auto json = nlohmann::json::parse(line);
    frames.push_back(json["frame"].get<int>());
    EXPECT_GE(json["detections"].size(), 3u);  // the default person detector
  }
  EXPECT_EQ(frames, (std::vector<int>{0, 2}));
}

TEST(DetectCli, DrawsAVideo) {
  ::playsight::testing::TempDir dir;
  const auto result = playsight("detect " + testing::opencv_data("vtest.avi") +
                                " --max-frames 4 --draw " + dir.file("drawn.avi"));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  cv::VideoCapture drawn(dir.file("drawn.avi"));
  ASSERT_TRUE(drawn.isOpened());
  EXPECT_EQ(static_cast<int>(drawn.get(cv::CAP_PROP_FRAME_COUNT)), 4);
  EXPECT_EQ(static_cast<int>(drawn.get(cv::CAP_PROP_FRAME_WIDTH)), 768);
}

TEST(VisionModelsCli, ListsEveryImportedModel) {
  const auto result = playsight("vision models");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  for (const std::string model :
       {"centernet", "nanodet", "movenet-multipose", "blazeface", "emotion", "faceres"})
    EXPECT_NE(result.output.find(model + " "), std::string::npos) << model << "\n" << result.output;
  EXPECT_NE(result.output.find("[1,3,416,416]"), std::string::npos) << result.output;
}

TEST(VisionCompareCli, PrintsTheTeamsTable) {
  const auto result = playsight("vision compare " + testing::opencv_data("vtest.avi") +
                                " --detectors centernet,hog --frames 2 --max-frames 4");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("found in 2 sampled frames"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("centernet"), std::string::npos);
  EXPECT_NE(result.output.find("hog"), std::string::npos);
  EXPECT_NE(result.output.find("ms/frame"), std::string::npos);
}

// Exit code 2 and one line from playsight naming the file (decoders may print warnings of their
// own before it, e.g. libjpeg's "Corrupt JPEG data").
void expect_bad_input(const testing::CommandResult& result, const std::string& named) {
  EXPECT_EQ(result.exit_code, 2) << result.output;
  const auto last_line = result.output.rfind("playsight: error: ");
  ASSERT_NE(last_line, std::string::npos) << result.output;
  const std::string message = result.output.substr(last_line);
  EXPECT_NE(message.find(named), std::string::npos) << result.output;
  EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 1) << result.output;
}

TEST(DetectCli, BadInputExitsWithTwoNamingTheFile) {
  ::playsight::testing::TempDir dir;
  const std::string image = dir.write("broken.jpg", std::string("\xFF\xD8\xFF\xE0garbage", 12));
  expect_bad_input(playsight("detect " + image), "broken.jpg");
  const std::string video = dir.write("broken.avi", "RIFF....AVI LIST garbage");
  expect_bad_input(playsight("detect " + video), "broken.avi");
  expect_bad_input(playsight("detect " + dir.file("absent.png")), "absent.png");
  expect_bad_input(playsight("vision compare " + video), "broken.avi");
  expect_bad_input(playsight("detect " + testing::opencv_data("messi5.jpg") + " --detector yolo"),
                   "yolo");
}

TEST(DetectCli, BrokenModelFilesExitWithTwoNamingTheFile) {
  ::playsight::testing::TempDir dir;
  const std::string source = testing::models_folder() + "/centernet.json";
  std::filesystem::copy_file(source, dir.file("centernet.json"));
  // A missing shard.
  auto result = testing::run_command(std::string(PLAYSIGHT_BINARY) + " detect " +
                                     testing::opencv_data("messi5.jpg") +
                                     " --detector centernet --models " + dir.path());
  expect_bad_input(result, "centernet.bin");
  // A truncated shard.
  std::filesystem::copy_file(testing::models_folder() + "/centernet.bin",
                             dir.file("centernet.bin"));
  std::filesystem::resize_file(dir.file("centernet.bin"), 1000);
  result = testing::run_command(std::string(PLAYSIGHT_BINARY) + " detect " +
                                testing::opencv_data("messi5.jpg") +
                                " --detector centernet --models " + dir.path());
  expect_bad_input(result, "centernet.json");
  // A corrupt model.json.
  dir.write("centernet.json", "{\"modelTopology\": {\"node\": [");
  result = testing::run_command(std::string(PLAYSIGHT_BINARY) + " detect " +
                                testing::opencv_data("messi5.jpg") +
                                " --detector centernet --models " + dir.path());
  expect_bad_input(result, "centernet.json");
}

}  // namespace
}  // namespace playsight::vision
