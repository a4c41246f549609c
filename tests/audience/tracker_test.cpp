#include "audience/tracker.h"

#include <gtest/gtest.h>

#include <map>

namespace playsight::audience {
namespace {

vision::Box person_at(double x, double y) {
  return {x - 20, y - 50, x + 20, y + 50};
}

TEST(PersonTracker, TwoPeopleCrossingKeepTheirIds) {
  PersonTracker tracker;
  // A walks right, B walks left along the same line; they overlap around frame 25.
  std::map<std::int64_t, std::vector<double>> path;  // id -> x per frame
  for (int frame = 0; frame < 50; ++frame) {
    const double a = 100 + 8 * frame, b = 500 - 8 * frame;
    // While they overlap the detector sees only the one in front (A), as real detectors do.
    std::vector<vision::Box> boxes{person_at(a, 200)};
    if (std::abs(a - b) > 30) boxes.push_back(person_at(b, 205));
    for (const TrackedPerson& p : tracker.update(boxes))
      path[p.id].push_back((p.box.x1 + p.box.x2) / 2);
  }
  EXPECT_EQ(tracker.confirmed_count(), 2);
  ASSERT_EQ(path.size(), 2u);
  // Id 1 went right all along, id 2 left: nobody swapped at the crossing.
  EXPECT_GT(path[1].back(), path[1].front() + 300);
  EXPECT_LT(path[2].back(), path[2].front() - 300);
}

TEST(PersonTracker, OneFrameFalseDetectionsNeverBecomePeople) {
  PersonTracker tracker;
  for (int frame = 0; frame < 30; ++frame) {
    std::vector<vision::Box> boxes{person_at(100 + 3 * frame, 200)};
    if (frame % 7 == 3) boxes.push_back(person_at(600, 100 + 10 * frame));  // flicker
    tracker.update(boxes);
  }
  EXPECT_EQ(tracker.confirmed_count(), 1);
}

TEST(PersonTracker, APersonMissedForAFewFramesKeepsTheirId) {
  TrackerOptions options;
  options.max_missed_frames = 8;
  PersonTracker tracker(options);
  std::vector<std::int64_t> ids;
  for (int frame = 0; frame < 40; ++frame) {
    std::vector<vision::Box> boxes;
    if (frame < 15 || frame >= 21) boxes.push_back(person_at(100 + 5 * frame, 200));
    for (const TrackedPerson& p : tracker.update(boxes)) {
      ids.push_back(p.id);
      if (frame >= 15 && frame < 21) {
        EXPECT_FALSE(p.detected);  // predicted through the gap
      }
    }
  }
  EXPECT_EQ(tracker.confirmed_count(), 1);
  EXPECT_EQ(ids.size(), 38u);  // 40 frames, the first 2 tentative
}

TEST(PersonTracker, APersonGoneForLongerIsANewPerson) {
  TrackerOptions options;
  options.max_missed_frames = 3;
  PersonTracker tracker(options);
  for (int frame = 0; frame < 30; ++frame) {
    std::vector<vision::Box> boxes;
    if (frame < 10 || frame >= 20) boxes.push_back(person_at(300, 200));
    tracker.update(boxes);
  }
  EXPECT_EQ(tracker.confirmed_count(), 2);
}

}  // namespace
}  // namespace playsight::audience
