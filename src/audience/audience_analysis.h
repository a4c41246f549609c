#pragma once
// The audience of a screen, from what the detectors saw frame by frame: who passed (tracked
// people, each counted once), who looked (a frontal face for at least `look_seconds`), for how
// long, and with what expression. This is the measurement core of `playsight audience`; it takes
// plain detections (vision/detection.h), so it is tested on exact synthetic observations and runs
// on any detector's output.
//
// Per frame: the people boxes and the face boxes. A face is attached to the person whose box
// holds its centre in its upper half (the smallest such box); a face with no person around it
// (the person detector missed them, or they are close to the camera with the body out of frame)
// stands for a person whose body box is estimated from the face, so that it continues their
// track. People are tracked
// (tracker.h); a person is in the zone when the bottom centre of their box (where they stand) is
// inside the zone polygon (no zone: the whole frame).
//
// Definitions (every time is frames x the frame interval, so skipped frames count as seen; the
// frames a track is carried through without a detection count only if the person is detected
// again, so an occlusion is bridged but the tracker's wait after someone left is not dwell):
//   passer-by (opportunity to see)  a tracked person who was in the zone at least once
//   dwell time      time in the zone          attention time  time with a frontal face
//   viewer          attention time >= look_seconds           view rate  viewers / passers-by
//   expressions while looking: the mean of the expression probabilities over looking frames
//
// Thread-safety: an AudienceAnalyser is used from one thread. Errors: InputError for a zone with
// fewer than 3 points or outside the frame, a non-increasing frame time.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "audience/tracker.h"
#include "vision/detection.h"

namespace playsight::audience {

struct Point {
  double x = 0, y = 0;
};

struct AudienceOptions {
  std::vector<Point> zone;      // polygon in pixels; empty = the whole frame
  double look_seconds = 0.5;    // attention a person needs to count as a viewer
  double frame_interval = 0.1;  // seconds one analysed frame stands for (stride / fps)
  int frame_width = 0;          // to check the zone (0: not checked)
  int frame_height = 0;
  TrackerOptions tracker;
};

// Throws InputError naming the problem for a zone that cannot be used with this frame size.
void check_zone(const AudienceOptions& options);

struct FrameObservation {
  double time_s = 0;
  std::vector<vision::Detection> people;
  std::vector<vision::Detection> faces;  // with frontal and expression when known
};

struct PersonRecord {
  std::int64_t id = 0;
  double first_seen_s = 0, last_seen_s = 0;
  double visible_s = 0;    // time tracked in the frame
  double dwell_s = 0;      // time in the zone
  double attention_s = 0;  // time with a frontal face (in the zone)
  bool looked = false;
  std::map<std::string, double> expressions;  // mean probability while looking
};

struct SecondRecord {
  std::int64_t second = 0;
  int people = 0;       // distinct people in the zone during this second
  int new_people = 0;   // first seen in it
  int viewers = 0;      // distinct people looking during it
  int peak_people = 0;  // most people in the zone in one frame of it
};

struct MinuteRecord {
  std::int64_t minute = 0;
  int passers_by = 0;  // distinct people in the zone during the minute
  int viewers = 0;     // of whom looked during it
};

struct AudienceSummary {
  double analysed_s = 0;
  std::int64_t frames = 0;
  int passers_by = 0;
  int viewers = 0;
  double view_rate = 0;
  double mean_dwell_s = 0, median_dwell_s = 0;
  double mean_attention_s = 0, median_attention_s = 0;  // over viewers
  int peak_concurrent = 0;
  std::map<std::string, double> expressions_while_looking;
};

struct AudienceResult {
  AudienceSummary summary;
  std::vector<PersonRecord> people;  // passers-by, by id
  std::vector<SecondRecord> seconds;
  std::vector<MinuteRecord> minutes;
};

class AudienceAnalyser {
 public:
  explicit AudienceAnalyser(AudienceOptions options);
  // The people tracked in this frame (id, box, looking), for drawing; frames in time order.
  struct FramePerson {
    std::int64_t id = 0;
    vision::Box box;
    bool in_zone = false;
    bool looking = false;
    const vision::Detection* face = nullptr;  // into the observation
  };
  std::vector<FramePerson> add_frame(const FrameObservation& frame);
  // The result so far (it can be called at any time, e.g. when a stream stops).
  AudienceResult result() const;
  // One second's record so far (for JSON lines written while a stream runs).
  SecondRecord second_record(std::int64_t second) const;

 private:
  struct PersonState {
    PersonRecord record;
    double looking_frames = 0;
    double pending_visible_s = 0;  // coasting since the last detection
    double pending_dwell_s = 0;
    std::map<std::string, double> expression_sums;
    bool in_zone_once = false;
  };
  bool in_zone(const vision::Box& box) const;
  AudienceOptions options_;
  PersonTracker tracker_;
  std::map<std::int64_t, PersonState> people_;
  std::map<std::int64_t, SecondRecord> seconds_;
  std::map<std::int64_t, std::vector<std::int64_t>> second_people_, second_viewers_;
  std::map<std::int64_t, std::vector<std::int64_t>> minute_people_, minute_viewers_;
  std::int64_t frames_ = 0;
  double last_time_ = -1;
  double first_time_ = -1;
  int peak_concurrent_ = 0;
};

}  // namespace playsight::audience
