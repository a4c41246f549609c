#include "audience/tracker.h"

#include <algorithm>
#include <cmath>
#include <opencv2/video/tracking.hpp>

#include "audience/assignment.h"

namespace playsight::audience {

// State [cx, cy, area, aspect, d cx, d cy, d area]; measurement [cx, cy, area, aspect].
struct PersonTracker::Track {
  cv::KalmanFilter filter{7, 4, 0, CV_64F};
  std::int64_t id = 0;
  int hits = 0;
  int missed = 0;
  vision::Box box;

  explicit Track(const vision::Box& detection) {
    cv::setIdentity(filter.transitionMatrix);
    for (int k = 0; k < 3; ++k) filter.transitionMatrix.at<double>(k, k + 4) = 1;
    filter.measurementMatrix = cv::Mat::zeros(4, 7, CV_64F);
    for (int k = 0; k < 4; ++k) filter.measurementMatrix.at<double>(k, k) = 1;
    // Noise scales as in SORT: the velocities start unknown, the area moves more than the centre.
    cv::setIdentity(filter.measurementNoiseCov, cv::Scalar(1));
    filter.measurementNoiseCov.at<double>(2, 2) = 10;
    filter.measurementNoiseCov.at<double>(3, 3) = 10;
    cv::setIdentity(filter.errorCovPost, cv::Scalar(10));
    for (int k = 4; k < 7; ++k) filter.errorCovPost.at<double>(k, k) = 1e4;
    cv::setIdentity(filter.processNoiseCov, cv::Scalar(1));
    filter.processNoiseCov.at<double>(6, 6) = 0.01;
    for (int k = 4; k < 7; ++k) filter.processNoiseCov.at<double>(k, k) *= 0.01;
    const cv::Mat z = measurement(detection);
    for (int k = 0; k < 4; ++k) filter.statePost.at<double>(k) = z.at<double>(k);
    box = detection;
  }

  static cv::Mat measurement(const vision::Box& b) {
    cv::Mat z(4, 1, CV_64F);
    z.at<double>(0) = (b.x1 + b.x2) / 2;
    z.at<double>(1) = (b.y1 + b.y2) / 2;
    z.at<double>(2) = std::max(1.0, b.area());
    z.at<double>(3) = b.width() / std::max(1.0, b.height());
    return z;
  }
  static vision::Box box_of(const cv::Mat& state) {
    const double area = std::max(1.0, state.at<double>(2));
    const double aspect = std::max(0.05, state.at<double>(3));
    const double width = std::sqrt(area * aspect);
    const double height = area / width;
    const double cx = state.at<double>(0), cy = state.at<double>(1);
    return {cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2};
  }
  vision::Box predict() {
    // An area about to turn negative stops shrinking (as SORT does).
    if (filter.statePost.at<double>(2) + filter.statePost.at<double>(6) <= 0)
      filter.statePost.at<double>(6) = 0;
    return box_of(filter.predict());
  }
  void correct(const vision::Box& detection) {
    filter.correct(measurement(detection));
    box = detection;
  }
};

PersonTracker::PersonTracker(TrackerOptions options) : options_(options) {}
PersonTracker::~PersonTracker() = default;

std::vector<TrackedPerson> PersonTracker::update(const std::vector<vision::Box>& detections) {
  std::vector<vision::Box> predicted;
  for (auto& track : tracks_) predicted.push_back(track->predict());

  const std::size_t rows = tracks_.size(), columns = detections.size();
  std::vector<double> cost(rows * columns);
  for (std::size_t t = 0; t < rows; ++t) {
    for (std::size_t d = 0; d < columns; ++d)
      cost[t * columns + d] = 1 - vision::intersection_over_union(predicted[t], detections[d]);
  }
  std::vector<int> match = minimum_cost_assignment(cost, rows, columns);
  std::vector<bool> detection_used(columns, false);
  for (std::size_t t = 0; t < rows; ++t) {
    if (match[t] < 0) continue;
    const auto d = static_cast<std::size_t>(match[t]);
    if (1 - cost[t * columns + d] < options_.min_overlap) {
      match[t] = -1;  // the best pairing overlaps too little: not the same person
      continue;
    }
    detection_used[d] = true;
  }

  // Second stage: tracks and detections left over, paired by the distance of their centres in
  // units of the track's box height (people who moved more than their boxes overlap between two
  // analysed frames: a frame stride, fast walkers, a detector's jittery boxes).
  std::vector<std::size_t> open_tracks, open_detections;
  for (std::size_t t = 0; t < rows; ++t)
    if (match[t] < 0) open_tracks.push_back(t);
  for (std::size_t d = 0; d < columns; ++d)
    if (!detection_used[d]) open_detections.push_back(d);
  if (!open_tracks.empty() && !open_detections.empty()) {
    const auto centre_distance = [&](std::size_t t, std::size_t d) {
      const vision::Box& a = predicted[t];
      const vision::Box& b = detections[d];
      const double dx = (a.x1 + a.x2 - b.x1 - b.x2) / 2, dy = (a.y1 + a.y2 - b.y1 - b.y2) / 2;
      const double size_ratio =
          std::max(a.height(), b.height()) / std::max(1.0, std::min(a.height(), b.height()));
      return std::hypot(dx, dy) / std::max(1.0, a.height()) + (size_ratio - 1);
    };
    std::vector<double> distance(open_tracks.size() * open_detections.size());
    for (std::size_t i = 0; i < open_tracks.size(); ++i) {
      for (std::size_t j = 0; j < open_detections.size(); ++j)
        distance[i * open_detections.size() + j] =
            centre_distance(open_tracks[i], open_detections[j]);
    }
    const std::vector<int> pairs =
        minimum_cost_assignment(distance, open_tracks.size(), open_detections.size());
    for (std::size_t i = 0; i < open_tracks.size(); ++i) {
      if (pairs[i] < 0) continue;
      const auto j = static_cast<std::size_t>(pairs[i]);
      if (distance[i * open_detections.size() + j] > options_.max_centre_distance) continue;
      match[open_tracks[i]] = static_cast<int>(open_detections[j]);
      detection_used[open_detections[j]] = true;
    }
  }

  std::vector<TrackedPerson> present;
  std::vector<std::unique_ptr<Track>> kept;
  for (std::size_t t = 0; t < rows; ++t) {
    Track& track = *tracks_[t];
    if (match[t] >= 0) {
      track.correct(detections[static_cast<std::size_t>(match[t])]);
      ++track.hits;
      track.missed = 0;
      if (track.id == 0 && track.hits >= options_.confirm_hits) track.id = next_id_++;
    } else {
      ++track.missed;
      track.box = predicted[t];
    }
    // Tentative tracks end at their first miss; confirmed ones live through short gaps.
    const bool ended = track.id == 0 ? track.missed > 0 : track.missed > options_.max_missed_frames;
    if (ended) continue;
    if (track.id != 0) present.push_back({track.id, track.box, match[t] >= 0, match[t]});
    kept.push_back(std::move(tracks_[t]));
  }
  tracks_ = std::move(kept);
  for (std::size_t d = 0; d < columns; ++d) {
    if (detection_used[d]) continue;
    auto track = std::make_unique<Track>(detections[d]);
    track->hits = 1;
    if (options_.confirm_hits <= 1) {
      track->id = next_id_++;
      present.push_back({track->id, track->box, true, static_cast<int>(d)});
    }
    tracks_.push_back(std::move(track));
  }
  std::sort(present.begin(), present.end(),
            [](const TrackedPerson& a, const TrackedPerson& b) { return a.id < b.id; });
  return present;
}

}  // namespace playsight::audience
