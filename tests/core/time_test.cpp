#include "core/time.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace playsight {
namespace {

TEST(Time, CivilRoundTripOverFourCenturies) {
  for (Days d = days_from_civil({1900, 1, 1}); d < days_from_civil({2300, 1, 1}); d += 1) {
    ASSERT_EQ(days_from_civil(civil_from_days(d)), d);
  }
}

TEST(Time, KnownDates) {
  EXPECT_EQ(days_from_civil({1970, 1, 1}), 0);
  EXPECT_EQ(days_from_civil({2000, 3, 1}), 11017);
  EXPECT_EQ(days_from_civil({2026, 10, 1}), 20727);
  EXPECT_EQ(format_date(days_from_civil({2024, 2, 29})), "2024-02-29");
  EXPECT_EQ(format_timestamp(1790000000), "2026-09-21 14:13:20");
}

TEST(Time, ParsesTimestampForms) {
  const Seconds base = parse_timestamp("2026-09-21 14:13:20");
  EXPECT_EQ(base, 1790000000);
  EXPECT_EQ(parse_timestamp("2026-09-21T14:13:20"), base);
  EXPECT_EQ(parse_timestamp("2026-09-21T14:13:20.250Z"), base);
  EXPECT_EQ(parse_timestamp("2026-09-21"), base - 14 * 3600 - 13 * 60 - 20);
  EXPECT_EQ(parse_timestamp("1790000000"), base);
}

TEST(Time, RejectsBadTimestampsWithTheValue) {
  for (const char* bad : {"", "2026-13-01 00:00:00", "2026-02-30", "2026-09-21 24:00:00",
                          "2026-09-21 12:00", "21/09/2026", "2026-09-21 12:00:00 PM", "abc"}) {
    try {
      parse_timestamp(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const FieldError& error) {
      EXPECT_NE(std::string(error.what()).find("expected a timestamp"), std::string::npos);
    }
  }
  EXPECT_THROW(parse_date("2025-02-29"), FieldError);
  EXPECT_EQ(parse_date("2024-02-29"), days_from_civil({2024, 2, 29}));
}

}  // namespace
}  // namespace playsight
