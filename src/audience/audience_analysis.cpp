#include "audience/audience_analysis.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/error.h"

namespace playsight::audience {
namespace {

// Whether a point is inside a polygon (even-odd rule; points on an edge count as inside).
bool inside(const std::vector<Point>& polygon, double x, double y) {
  bool result = false;
  for (std::size_t i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
    const Point& a = polygon[i];
    const Point& b = polygon[j];
    if ((a.y > y) != (b.y > y)) {
      const double crossing = a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y);
      if (x == crossing) return true;
      if (x < crossing) result = !result;
    }
  }
  return result;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// The index of the person box whose upper half holds the face's centre (the smallest), or -1.
int person_of_face(const std::vector<vision::Detection>& people, const vision::Box& face) {
  const double cx = (face.x1 + face.x2) / 2, cy = (face.y1 + face.y2) / 2;
  int best = -1;
  double best_area = 0;
  for (std::size_t p = 0; p < people.size(); ++p) {
    const vision::Box& b = people[p].box;
    if (cx < b.x1 || cx > b.x2 || cy < b.y1 || cy > b.y1 + b.height() / 2) continue;
    if (best < 0 || b.area() < best_area) {
      best = static_cast<int>(p);
      best_area = b.area();
    }
  }
  return best;
}

// Where the body of a face whose person the detector missed would be (a standing adult: about 3
// face widths wide and 7.5 face heights tall), so that the frames where only the face is found
// continue the same person's track instead of starting another.
vision::Box body_of_face(const vision::Box& face) {
  const double cx = (face.x1 + face.x2) / 2;
  const double width = 3 * face.width(), height = 7.5 * face.height();
  const double top = face.y1 - 0.3 * face.height();
  return {cx - width / 2, top, cx + width / 2, top + height};
}

void add_unique(std::vector<std::int64_t>& ids, std::int64_t id) {
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
}

}  // namespace

void check_zone(const AudienceOptions& options) {
  if (options.zone.empty()) return;
  if (options.zone.size() < 3) {
    throw InputError("--zone: a polygon needs at least 3 points, got " +
                     std::to_string(options.zone.size()));
  }
  if (options.frame_width <= 0 || options.frame_height <= 0) return;
  for (std::size_t i = 0; i < options.zone.size(); ++i) {
    const Point& p = options.zone[i];
    if (p.x < 0 || p.y < 0 || p.x > options.frame_width || p.y > options.frame_height) {
      throw InputError("--zone: point " + std::to_string(i + 1) + " (" +
                       std::to_string(static_cast<long>(p.x)) + "," +
                       std::to_string(static_cast<long>(p.y)) + ") is outside the " +
                       std::to_string(options.frame_width) + "x" +
                       std::to_string(options.frame_height) + " frame");
    }
  }
}

AudienceAnalyser::AudienceAnalyser(AudienceOptions options)
    : options_(std::move(options)), tracker_(options_.tracker) {
  check_zone(options_);
  if (!(options_.frame_interval > 0))
    throw InputError("audience: the frame interval must be positive");
}

bool AudienceAnalyser::in_zone(const vision::Box& box) const {
  if (options_.zone.empty()) return true;
  return inside(options_.zone, (box.x1 + box.x2) / 2, box.y2);
}

std::vector<AudienceAnalyser::FramePerson> AudienceAnalyser::add_frame(
    const FrameObservation& frame) {
  if (frame.time_s <= last_time_) {
    throw InputError("audience: frame times must increase (" + std::to_string(frame.time_s) +
                     " s after " + std::to_string(last_time_) + " s)");
  }
  if (first_time_ < 0) first_time_ = frame.time_s;
  last_time_ = frame.time_s;
  ++frames_;

  // Observations: the person boxes, then the faces that no person box holds.
  std::vector<vision::Box> boxes;
  std::vector<const vision::Detection*> face_of(frame.people.size(), nullptr);
  for (const auto& person : frame.people) boxes.push_back(person.box);
  for (const auto& face : frame.faces) {
    const int p = person_of_face(frame.people, face.box);
    if (p >= 0) {
      const auto index = static_cast<std::size_t>(p);
      if (face_of[index] == nullptr || face.score > face_of[index]->score) face_of[index] = &face;
    } else {
      boxes.push_back(body_of_face(face.box));
      face_of.push_back(&face);
    }
  }

  const double dt = options_.frame_interval;
  const auto second = static_cast<std::int64_t>(std::floor(frame.time_s));
  const auto minute = static_cast<std::int64_t>(std::floor(frame.time_s / 60));
  SecondRecord& second_record = seconds_[second];
  second_record.second = second;
  std::vector<FramePerson> present;
  int in_zone_now = 0;
  for (const TrackedPerson& tracked : tracker_.update(boxes)) {
    FramePerson out;
    out.id = tracked.id;
    out.box = tracked.box;
    out.in_zone = in_zone(tracked.box);
    out.face =
        tracked.detection >= 0 ? face_of[static_cast<std::size_t>(tracked.detection)] : nullptr;
    out.looking = out.in_zone && out.face != nullptr && out.face->frontal.value_or(false);
    PersonState& state = people_[tracked.id];
    PersonRecord& record = state.record;
    if (record.id == 0) {
      record.id = tracked.id;
      // The frames the tracker waited before confirming were this person's too.
      const double tentative = (options_.tracker.confirm_hits - 1) * dt;
      record.first_seen_s = frame.time_s - tentative;
      state.pending_visible_s = tentative;
      if (out.in_zone) state.pending_dwell_s = tentative;
    }
    // Time counts from detections; a gap the tracker bridged (an occlusion) counts once the
    // person is detected again, while the coasting after someone left never does.
    const bool zone_now = out.in_zone;
    if (tracked.detected) {
      record.last_seen_s = frame.time_s;
      record.visible_s += dt + state.pending_visible_s;
      record.dwell_s += (zone_now ? dt : 0) + state.pending_dwell_s;
      state.pending_visible_s = state.pending_dwell_s = 0;
    } else {
      state.pending_visible_s += dt;
      if (zone_now) state.pending_dwell_s += dt;
    }
    if (zone_now) {
      if (!state.in_zone_once) ++second_record.new_people;
      state.in_zone_once = true;
    }
    // Counts per second and minute, and the peak, take the people seen in the frame: a track
    // carried through a gap is not yet known to be someone still there.
    if (zone_now && tracked.detected) {
      ++in_zone_now;
      add_unique(second_people_[second], tracked.id);
      add_unique(minute_people_[minute], tracked.id);
    }
    if (out.looking) {
      record.attention_s += dt;
      state.looking_frames += 1;
      for (const auto& e : out.face->expression) state.expression_sums[e.name] += e.probability;
      add_unique(second_viewers_[second], tracked.id);
      add_unique(minute_viewers_[minute], tracked.id);
    }
    present.push_back(out);
  }
  second_record.peak_people = std::max(second_record.peak_people, in_zone_now);
  peak_concurrent_ = std::max(peak_concurrent_, in_zone_now);
  return present;
}

SecondRecord AudienceAnalyser::second_record(std::int64_t second) const {
  const auto found = seconds_.find(second);
  SecondRecord record = found == seconds_.end() ? SecondRecord{} : found->second;
  record.second = second;
  const auto people = second_people_.find(second);
  const auto viewers = second_viewers_.find(second);
  record.people = people == second_people_.end() ? 0 : static_cast<int>(people->second.size());
  record.viewers = viewers == second_viewers_.end() ? 0 : static_cast<int>(viewers->second.size());
  return record;
}

AudienceResult AudienceAnalyser::result() const {
  AudienceResult result;
  AudienceSummary& s = result.summary;
  s.frames = frames_;
  s.analysed_s = frames_ * options_.frame_interval;
  s.peak_concurrent = peak_concurrent_;
  std::vector<double> dwell, attention;
  std::map<std::string, double> expression_sums;
  double looking_frames = 0;
  for (const auto& [id, state] : people_) {
    if (!state.in_zone_once) continue;
    PersonRecord record = state.record;
    record.looked = record.attention_s + 1e-9 >= options_.look_seconds;
    if (state.looking_frames > 0) {
      for (const auto& [name, sum] : state.expression_sums)
        record.expressions[name] = sum / state.looking_frames;
    }
    for (const auto& [name, sum] : state.expression_sums) expression_sums[name] += sum;
    looking_frames += state.looking_frames;
    ++s.passers_by;
    dwell.push_back(record.dwell_s);
    if (record.looked) {
      ++s.viewers;
      attention.push_back(record.attention_s);
    }
    result.people.push_back(std::move(record));
  }
  const auto mean = [](const std::vector<double>& v) {
    double sum = 0;
    for (double x : v) sum += x;
    return v.empty() ? 0 : sum / static_cast<double>(v.size());
  };
  s.view_rate = s.passers_by ? static_cast<double>(s.viewers) / s.passers_by : 0;
  s.mean_dwell_s = mean(dwell);
  s.median_dwell_s = median(dwell);
  s.mean_attention_s = mean(attention);
  s.median_attention_s = median(attention);
  if (looking_frames > 0) {
    for (const auto& [name, sum] : expression_sums)
      s.expressions_while_looking[name] = sum / looking_frames;
  }
  for (const auto& entry : seconds_) result.seconds.push_back(second_record(entry.first));
  // Minutes: every minute from the first frame's to the last's, empty ones included.
  if (frames_ > 0) {
    const auto first = static_cast<std::int64_t>(std::floor(first_time_ / 60));
    const auto last = static_cast<std::int64_t>(std::floor(last_time_ / 60));
    for (std::int64_t m = first; m <= last; ++m) {
      MinuteRecord record;
      record.minute = m;
      const auto people = minute_people_.find(m);
      const auto viewers = minute_viewers_.find(m);
      if (people != minute_people_.end())
        record.passers_by = static_cast<int>(people->second.size());
      if (viewers != minute_viewers_.end())
        record.viewers = static_cast<int>(viewers->second.size());
      result.minutes.push_back(record);
    }
  }
  return result;
}

}  // namespace playsight::audience
