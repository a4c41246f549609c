#include "playtest/moments.h"

#include <gtest/gtest.h>

#include "core/random.h"

namespace playsight::playtest {
namespace {

// 60 s of a calm tester (neutral ~0.7, happy ~0.1 with noise) with a sustained smile at 20-26 s,
// a one-second surprise at 40 s and the camera covered at 50-54 s.
std::vector<SecondOfSession> session() {
  Rng rng(3);
  std::vector<SecondOfSession> seconds(60);
  const int happy = expression_index("happy"), surprise = expression_index("surprise"),
            neutral = expression_index("neutral");
  for (int s = 0; s < 60; ++s) {
    SecondOfSession& second = seconds[static_cast<std::size_t>(s)];
    second.second = s;
    if (s >= 50 && s < 54) continue;  // no face
    second.face_visible = true;
    second.visible_share = 1;
    second.mean[static_cast<std::size_t>(happy)] = 0.1 + 0.03 * rng.uniform();
    second.mean[static_cast<std::size_t>(surprise)] = 0.05 + 0.02 * rng.uniform();
    if (s >= 20 && s < 26) second.mean[static_cast<std::size_t>(happy)] = 0.8;
    if (s == 40) second.mean[static_cast<std::size_t>(surprise)] = 0.6;
    double rest = 0;
    for (std::size_t k = 0; k < kExpressionCount; ++k) rest += second.mean[k];
    second.mean[static_cast<std::size_t>(neutral)] = 1 - rest;
  }
  return seconds;
}

TEST(Moments, FindsTheSmileAndTheSurpriseRankedByStrength) {
  const std::vector<Moment> moments = find_moments(session());
  ASSERT_EQ(moments.size(), 2u);
  EXPECT_EQ(moments[0].expression, "happy");
  EXPECT_EQ(moments[0].reading, "enjoyed");
  EXPECT_DOUBLE_EQ(moments[0].start_s, 20);
  EXPECT_DOUBLE_EQ(moments[0].end_s, 26);
  EXPECT_NEAR(moments[0].baseline, 0.115, 0.02);
  EXPECT_DOUBLE_EQ(moments[0].peak_probability, 0.8);
  EXPECT_EQ(moments[1].expression, "surprise");
  EXPECT_EQ(moments[1].reading, "surprised");
  EXPECT_DOUBLE_EQ(moments[1].start_s, 40);
  EXPECT_DOUBLE_EQ(moments[1].end_s, 41);
}

TEST(Moments, CoveredStretchesAreReportedNotGuessed) {
  const std::vector<Stretch> covered = no_face_stretches(session());
  ASSERT_EQ(covered.size(), 1u);
  EXPECT_DOUBLE_EQ(covered[0].start_s, 50);
  EXPECT_DOUBLE_EQ(covered[0].end_s, 54);
}

TEST(Moments, ShortDipsJoinAndShortBlipsCanBeDropped) {
  std::vector<SecondOfSession> seconds = session();
  const auto happy = static_cast<std::size_t>(expression_index("happy"));
  seconds[23].mean[happy] = 0.12;  // a one-second dip inside the smile
  MomentOptions options;
  options.min_seconds = 2;  // the one-second surprise goes
  const std::vector<Moment> moments = find_moments(seconds, options);
  ASSERT_EQ(moments.size(), 1u);
  EXPECT_DOUBLE_EQ(moments[0].start_s, 20);
  EXPECT_DOUBLE_EQ(moments[0].end_s, 26);
}

}  // namespace
}  // namespace playsight::playtest
