#include "audience/audience_analysis.h"

#include <gtest/gtest.h>

#include "../support/checks.h"

namespace playsight::audience {
namespace {

vision::Detection person(double x, double y) {
  vision::Detection d;
  d.label = "person";
  d.score = 0.9;
  d.box = {x - 30, y - 90, x + 30, y + 90};
  return d;
}

vision::Detection face_of(const vision::Detection& p, bool frontal, double happy) {
  vision::Detection f;
  f.label = "face";
  f.score = 0.9;
  const double cx = (p.box.x1 + p.box.x2) / 2;
  f.box = {cx - 12, p.box.y1 + 5, cx + 12, p.box.y1 + 30};
  f.frontal = frontal;
  f.expression = {{"happy", happy}, {"neutral", 1 - happy}};
  return f;
}

// 10 fps, 20 s. A stands in the zone from 2 s to 10 s and faces the screen from 4 s to 7 s,
// smiling; B walks through from 5 s to 15 s, never looking; C stands outside the zone.
AudienceResult simulate(AudienceOptions options) {
  options.frame_interval = 0.1;
  AudienceAnalyser analyser(options);
  for (int frame = 0; frame < 200; ++frame) {
    const double t = frame / 10.0;
    FrameObservation observation;
    observation.time_s = t;
    if (t >= 2 && t < 10) {
      observation.people.push_back(person(200, 300));
      if (t >= 4 && t < 7)
        observation.faces.push_back(face_of(observation.people.back(), true, 0.8));
    }
    if (t >= 5 && t < 15) {
      observation.people.push_back(person(100 + (t - 5) * 40, 320));
      observation.faces.push_back(face_of(observation.people.back(), false, 0.1));
    }
    observation.people.push_back(person(600, 100));  // C, standing far behind
    analyser.add_frame(observation);
  }
  return analyser.result();
}

TEST(AudienceAnalyser, CountsPassersByViewersDwellAndAttention) {
  AudienceOptions options;
  options.zone = {{0, 200}, {640, 200}, {640, 480}, {0, 480}};  // the floor in front
  options.frame_width = 640;
  options.frame_height = 480;
  const AudienceResult result = simulate(options);
  const AudienceSummary& s = result.summary;
  // C's feet (y = 190) are outside the zone: not a passer-by.
  EXPECT_EQ(s.passers_by, 2);
  EXPECT_EQ(s.viewers, 1);
  EXPECT_DOUBLE_EQ(s.view_rate, 0.5);
  EXPECT_EQ(s.peak_concurrent, 2);
  ASSERT_EQ(result.people.size(), 2u);
  const PersonRecord& a = result.people[0];
  // Confirmation takes 3 frames (0.2 s of the first are not yet a person).
  EXPECT_NEAR(a.dwell_s, 8.0, 0.25);
  EXPECT_NEAR(a.attention_s, 3.0, 0.05);
  EXPECT_TRUE(a.looked);
  EXPECT_NEAR(a.expressions.at("happy"), 0.8, 1e-9);
  const PersonRecord& b = result.people[1];
  EXPECT_NEAR(b.dwell_s, 10.0, 0.25);
  EXPECT_DOUBLE_EQ(b.attention_s, 0);
  EXPECT_FALSE(b.looked);
  EXPECT_NEAR(s.mean_dwell_s, 9.0, 0.25);
  EXPECT_NEAR(s.mean_attention_s, 3.0, 0.05);
  EXPECT_NEAR(s.expressions_while_looking.at("happy"), 0.8, 1e-9);
  // Per second: A alone from 2 s, both from 5 s, B alone from 10 s.
  ASSERT_EQ(result.seconds.size(), 20u);
  EXPECT_EQ(result.seconds[3].people, 1);
  EXPECT_EQ(result.seconds[6].people, 2);
  EXPECT_EQ(result.seconds[6].viewers, 1);
  EXPECT_EQ(result.seconds[12].people, 1);
  EXPECT_EQ(result.seconds[12].viewers, 0);
  EXPECT_EQ(result.seconds[16].people, 0);
  ASSERT_EQ(result.minutes.size(), 1u);
  EXPECT_EQ(result.minutes[0].passers_by, 2);
}

TEST(AudienceAnalyser, WithoutAZoneEveryoneInTheFrameCounts) {
  const AudienceResult result = simulate({});
  EXPECT_EQ(result.summary.passers_by, 3);
  EXPECT_EQ(result.summary.viewers, 1);
}

TEST(AudienceAnalyser, ALookShorterThanTheThresholdIsNoView) {
  AudienceOptions options;
  options.look_seconds = 3.5;  // A looked for 3 s
  EXPECT_EQ(simulate(options).summary.viewers, 0);
}

TEST(AudienceAnalyser, RejectsAZoneOutsideTheFrameAndTimeGoingBack) {
  AudienceOptions options;
  options.zone = {{0, 0}, {700, 0}, {700, 100}};
  options.frame_width = 640;
  options.frame_height = 480;
  EXPECT_EQ(testing::input_error_of([&] { AudienceAnalyser analyser(options); }),
            "--zone: point 2 (700,0) is outside the 640x480 frame");
  options.zone = {{0, 0}, {10, 10}};
  EXPECT_EQ(testing::input_error_of([&] { AudienceAnalyser analyser(options); }),
            "--zone: a polygon needs at least 3 points, got 2");
  AudienceAnalyser analyser({});
  analyser.add_frame({1.0, {}, {}});
  EXPECT_NE(testing::input_error_of([&] {
              analyser.add_frame({0.5, {}, {}});
            }).find("frame times must increase"),
            std::string::npos);
}

}  // namespace
}  // namespace playsight::audience
