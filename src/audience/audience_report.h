#pragma once
// The audience report: one JSON line per second of video (people, new people, viewers, peak),
// the summary JSON (totals, per-person records without any image, per-minute totals, how the run
// went) and a self-contained HTML page with the timeline and histograms (Chart.js embedded).
// Thread-safety: pure functions.
#include <nlohmann/json.hpp>
#include <string>

#include "audience/video_audience.h"

namespace playsight::audience {

nlohmann::ordered_json second_json(const SecondRecord& second);
// {"frame", "time_s", "people": [{"id", "box": [x1, y1, x2, y2], "in_zone", "looking"}]}
nlohmann::ordered_json frame_json(std::int64_t frame, double time_s,
                                  const std::vector<AudienceAnalyser::FramePerson>& people);
nlohmann::ordered_json audience_json(const VideoAudienceResult& result,
                                     const VideoAudienceOptions& options);
std::string audience_html(const VideoAudienceResult& result, const VideoAudienceOptions& options);
std::string audience_summary(const VideoAudienceResult& result);

}  // namespace playsight::audience
