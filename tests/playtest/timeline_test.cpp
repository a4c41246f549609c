#include <gtest/gtest.h>

#include "../support/checks.h"
#include "playtest/expression_timeline.h"

namespace playsight::playtest {
namespace {

vision::Detection face(double x, double size, double happy) {
  vision::Detection d;
  d.label = "face";
  d.box = {x, 100, x + size, 100 + size};
  for (const std::string& name : expression_names())
    d.expression.push_back({name, name == "happy" ? happy : name == "neutral" ? 1 - happy : 0});
  return d;
}

TEST(ExpressionTimeline, FollowsTheTesterAndIgnoresAPasserBy) {
  ExpressionTimeline timeline;
  const int happy = expression_index("happy");
  for (int frame = 0; frame < 50; ++frame) {
    const double t = frame / 10.0;
    std::vector<vision::Detection> faces{face(200 + frame, 150, 0.2)};
    // From 1 s to 3 s someone walks behind the tester: a smaller, very happy face.
    if (t >= 1 && t < 3) faces.insert(faces.begin(), face(500, 90, 0.9));
    EXPECT_EQ(timeline.add_frame(t, faces), t >= 1 && t < 3 ? 1 : 0);
  }
  const auto seconds = timeline.seconds();
  ASSERT_EQ(seconds.size(), 5u);
  for (const auto& s : seconds) {
    EXPECT_TRUE(s.face_visible);
    EXPECT_NEAR(s.mean[static_cast<std::size_t>(happy)], 0.2, 1e-12) << s.second;
  }
}

TEST(ExpressionTimeline, SecondsWithoutTheFaceCarryNoExpressions) {
  ExpressionTimeline timeline;
  for (int frame = 0; frame < 40; ++frame) {
    const double t = frame / 10.0;
    std::vector<vision::Detection> faces;
    if (t < 1 || t >= 3) faces.push_back(face(200, 150, 0.5));
    timeline.add_frame(t, faces);
  }
  const auto seconds = timeline.seconds();
  ASSERT_EQ(seconds.size(), 4u);
  EXPECT_TRUE(seconds[0].face_visible);
  EXPECT_FALSE(seconds[1].face_visible);
  EXPECT_FALSE(seconds[2].face_visible);
  EXPECT_EQ(seconds[1].smoothed, Expressions{});
  // Smoothing uses visible seconds only: second 0's neighbour is covered.
  EXPECT_NEAR(seconds[0].smoothed[static_cast<std::size_t>(expression_index("happy"))], 0.5, 1e-12);
  EXPECT_EQ(timeline.frames_with_face(), 20);
  EXPECT_NE(testing::input_error_of([&] { timeline.add_frame(1.0, {}); }).find("must increase"),
            std::string::npos);
}

}  // namespace
}  // namespace playsight::playtest
