#pragma once
// PersonTracker: gives the people a detector finds frame by frame stable ids, so that one person
// walking past counts once (SORT: a constant-velocity Kalman filter per person on the box's
// centre, area and aspect ratio; detections assigned to the predicted boxes by minimum total
// 1 - IoU, the Hungarian method, accepting only pairs that overlap enough; then the tracks and
// detections left over by minimum centre distance, for people who moved further than their
// boxes overlap between two analysed frames).
//
// A new detection starts a tentative track; it is confirmed (and gets a public id) after
// `confirm_hits` matched frames, so one-frame false detections never count as people. A track
// not matched for `max_missed_frames` frames ends; in between, its predicted box keeps the
// person's id through short occlusions (people crossing). Ids are 1, 2, 3, ... in confirmation
// order and never reused.
//
// Not thread-safe; one tracker per video. Cost per frame O(tracks x detections x min of both).
#include <cstdint>
#include <memory>
#include <vector>

#include "vision/detection.h"

namespace playsight::audience {

struct TrackerOptions {
  double min_overlap = 0.2;    // IoU a detection needs with a track's predicted box
  int confirm_hits = 3;        // matched frames before a track is a person
  int max_missed_frames = 10;  // frames a track survives without a detection
  // Second stage for what IoU left unmatched: centre distance in track-box heights, plus the
  // relative size difference; pairs further apart than this are different people.
  double max_centre_distance = 0.6;
};

struct TrackedPerson {
  std::int64_t id = 0;    // 0 while tentative (never reported)
  vision::Box box;        // the matched detection's box, or the prediction when missed
  bool detected = false;  // matched a detection in this frame
  int detection = -1;     // index into this frame's detections, or -1
};

class PersonTracker {
 public:
  explicit PersonTracker(TrackerOptions options = {});
  ~PersonTracker();
  PersonTracker(const PersonTracker&) = delete;
  PersonTracker& operator=(const PersonTracker&) = delete;

  // One frame's person boxes; returns the confirmed people present in this frame (matched now,
  // or predicted through a short gap), in id order.
  std::vector<TrackedPerson> update(const std::vector<vision::Box>& detections);

  std::int64_t confirmed_count() const { return next_id_ - 1; }

 private:
  struct Track;
  TrackerOptions options_;
  std::vector<std::unique_ptr<Track>> tracks_;
  std::int64_t next_id_ = 1;
};

}  // namespace playsight::audience
