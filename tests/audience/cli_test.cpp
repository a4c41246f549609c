// playsight audience, the real binary: what it writes, and its errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../support/checks.h"
#include "../support/temp_dir.h"

namespace playsight::audience {
namespace {

using testing::run_playsight;
const std::string kVtest = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";

TEST(AudienceCli, WritesSecondsSummaryAndReport) {
  testing::TempDir dir;
  const auto run = run_playsight("audience " + kVtest + " --max-seconds 4 --threads 2 --out " +
                                 dir.file("out") + " --tracks " + dir.file("tracks.jsonl") +
                                 " --annotate " + dir.file("annotated.avi"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("4.0 s of video (40 frames analysed)"), std::string::npos)
      << run.output;
  std::ifstream seconds(dir.file("out/seconds.jsonl"));
  std::string line;
  int lines = 0;
  while (std::getline(seconds, line)) {
    const auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j["second"], lines);
    ++lines;
  }
  EXPECT_EQ(lines, 4);
  std::ifstream summary_file(dir.file("out/summary.json"));
  const auto summary = nlohmann::json::parse(summary_file);
  EXPECT_EQ(summary["run"]["frames_analysed"], 40);
  EXPECT_GE(summary["summary"]["passers_by"].get<int>(), 3);
  EXPECT_TRUE(std::filesystem::file_size(dir.file("out/report.html")) > 100000);
  EXPECT_TRUE(std::filesystem::file_size(dir.file("annotated.avi")) > 10000);
  std::ifstream tracks(dir.file("tracks.jsonl"));
  int frames = 0;
  while (std::getline(tracks, line)) ++frames;
  EXPECT_EQ(frames, 40);
}

TEST(AudienceCli, BadInputExitsWithTwoAndSaysWhat) {
  testing::TempDir dir;
  auto run = run_playsight("audience " + dir.file("missing.avi") + " --out " + dir.file("o"));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find("missing.avi"), std::string::npos) << run.output;
  run = run_playsight("audience " + kVtest + " --zone '1,2;3' --out " + dir.file("o"));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find("--zone: point 2 '3' is not x,y"), std::string::npos) << run.output;
  run = run_playsight("audience " + kVtest + " --zone '0,0;900,0;900,100' --out " + dir.file("o"));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find("--zone: point 2 (900,0) is outside the 768x576 frame"),
            std::string::npos)
      << run.output;
  run = run_playsight("audience " + kVtest + " --annotate " + dir.file("no/such/folder/a.avi") +
                      " --out " + dir.file("o"));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find("no/such/folder/a.avi: cannot write a video here (--annotate)"),
            std::string::npos)
      << run.output;
}

}  // namespace
}  // namespace playsight::audience
