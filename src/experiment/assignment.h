#pragma once
// The assignment of an experiment: which group each player was in and when they were exposed to
// the nudge (experiment.csv: player_id, group, exposure_time; see gamelog/schema.h). This is the
// input that says who is "treated" for every estimator of `playsight effect`.
//
// read_assignment checks the file itself: every row has a positive integer player_id, a non-empty
// group name and a timestamp; a player appears once. Errors are InputError "FILE:LINE: column
// 'x': ..." (the first duplicate names both lines). Groups are listed in name order. Which group is
// the control and whether the players and times fit the logs is checked by the analysis
// (nudge_data.h), which knows the logs.
//
// Thread-safety: pure function of the file. Cost: one pass, O(rows).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"

namespace playsight::experiment {

struct Assignment {
  std::string path;
  std::vector<std::string> groups;       // names, sorted
  std::vector<std::int64_t> player_ids;  // one entry per row, file order
  std::vector<std::uint32_t> group;      // index into groups, per row
  std::vector<Seconds> exposure;         // per row
  std::vector<std::uint64_t> lines;      // line number of each row in the file (for messages)

  std::size_t players() const { return player_ids.size(); }
  // Players per group, in the order of `groups`.
  std::vector<std::size_t> group_sizes() const;
  // The index of `name` in groups, or -1.
  std::int64_t group_index(const std::string& name) const;
};

Assignment read_assignment(const std::string& path);

}  // namespace playsight::experiment
