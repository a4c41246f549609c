#include "experiment/assignment.h"

#include <gtest/gtest.h>

#include "../support/checks.h"
#include "../support/temp_dir.h"

namespace playsight::experiment {
namespace {

using playsight::testing::input_error_of;

TEST(ReadAssignment, ReadsPlayersGroupsInNameOrderAndLines) {
  testing::TempDir dir;
  const std::string path = dir.write("experiment.csv",
                                     "player_id,group,exposure_time\n"
                                     "7,nudge_b,2026-10-01 10:00:00\n"
                                     "3,control,2026-10-01 11:30:00\n"
                                     "9,nudge_a,2026-10-02 00:00:01\n"
                                     "4,control,2026-10-01 12:00:00\n");
  const Assignment a = read_assignment(path);
  EXPECT_EQ(a.groups, (std::vector<std::string>{"control", "nudge_a", "nudge_b"}));
  EXPECT_EQ(a.player_ids, (std::vector<std::int64_t>{7, 3, 9, 4}));
  EXPECT_EQ(a.group, (std::vector<std::uint32_t>{2, 0, 1, 0}));
  EXPECT_EQ(a.lines, (std::vector<std::uint64_t>{2, 3, 4, 5}));
  EXPECT_EQ(a.exposure[0], parse_timestamp("2026-10-01 10:00:00"));
  EXPECT_EQ(a.group_sizes(), (std::vector<std::size_t>{2, 1, 1}));
  EXPECT_EQ(a.group_index("nudge_a"), 1);
  EXPECT_EQ(a.group_index("nudge_c"), -1);
}

TEST(ReadAssignment, BadRowsNameTheFileLineAndColumn) {
  testing::TempDir dir;
  const auto error_of = [&](const std::string& body) {
    const std::string path = dir.write("a.csv", "player_id,group,exposure_time\n" + body);
    return input_error_of([&] { read_assignment(path); });
  };
  const std::string path = dir.file("a.csv");
  EXPECT_EQ(error_of("1,control,2026-10-01 10:00:00\n1,nudge_a,2026-10-01 10:00:00\n"),
            path + ":3: column 'player_id': player 1 is assigned twice (also on line 2)");
  EXPECT_NE(error_of("1,control,tomorrow\n").find(path + ":2: column 'exposure_time'"),
            std::string::npos);
  EXPECT_EQ(error_of("1,,2026-10-01 10:00:00\n"),
            path + ":2: column 'group': a group name was expected, got an empty field");
  EXPECT_EQ(error_of("-4,control,2026-10-01 10:00:00\n"),
            path + ":2: column 'player_id': a positive player id was expected");
  EXPECT_EQ(error_of(""), path + ": no players are assigned (no data rows)");
  const std::string other = dir.write("b.csv", "player_id,exposure_time\n1,2026-10-01 10:00:00\n");
  EXPECT_NE(input_error_of([&] { read_assignment(other); }).find("group"), std::string::npos);
}

}  // namespace
}  // namespace playsight::experiment
