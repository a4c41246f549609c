// Lift: the t distribution, the estimator on hand-made numbers, KPI panels and their gaps, and
// the errors of the analysis.
#include "geo/lift.h"

#include <gtest/gtest.h>

#include <cmath>

#include "../support/checks.h"
#include "../support/temp_dir.h"
#include "geo/detail/student_t.h"
#include "geo/kpi.h"

namespace playsight::geo {
namespace {

using playsight::testing::input_error_of;

TEST(StudentT, QuantilesMatchTables) {
  EXPECT_NEAR(detail::student_t_quantile(0.975, 1), 12.706204736, 1e-7);
  EXPECT_NEAR(detail::student_t_quantile(0.975, 10), 2.228138852, 1e-8);
  EXPECT_NEAR(detail::student_t_quantile(0.8, 5), 0.919543780, 1e-8);
  EXPECT_NEAR(detail::student_t_quantile(0.025, 30), -2.042272456, 1e-8);
  EXPECT_NEAR(detail::student_t_quantile(0.975, 1e7), 1.959964, 1e-5);
  EXPECT_DOUBLE_EQ(detail::student_t_cdf(0, 3.5), 0.5);
  EXPECT_NEAR(detail::student_t_cdf(2.228138852, 10), 0.975, 1e-9);
}

TEST(Lift, WelchOnLogChangesByHand) {
  const double treated[] = {0.1, 0.3}, control[] = {0.0, 0.2, 0.1};
  const LiftEstimate e = compare_log_changes(treated, control, 0.95);
  EXPECT_NEAR(e.log_effect, 0.1, 1e-12);
  EXPECT_NEAR(e.standard_error, std::sqrt(0.02 / 2 + 0.01 / 3), 1e-12);
  const double vt = 0.01, vc = 0.01 / 3;
  EXPECT_NEAR(e.degrees_of_freedom, (vt + vc) * (vt + vc) / (vt * vt / 1 + vc * vc / 2), 1e-9);
  EXPECT_NEAR(e.lift, std::expm1(0.1), 1e-12);
  EXPECT_FALSE(e.significant());
  const std::vector<double> series = {2, 2, 4, 4, 3, 5};
  EXPECT_NEAR(log_change(series, 0, 4, 4, 6), std::log(4.0 / 3.0), 1e-12);
  EXPECT_TRUE(std::isnan(log_change({0, 0, 1}, 0, 2, 2, 3)));
}

std::string kpi_text(const std::vector<std::string>& codes, int days, bool gap) {
  std::string text = "region_code,date,value\n";
  for (std::size_t r = 0; r < codes.size(); ++r) {
    for (int d = 0; d < days; ++d) {
      if (gap && r == 1 && (d == 3 || d == 4)) continue;
      const double lifted = r < 2 && d >= days / 2 ? 1.2 : 1.0;
      text += codes[r] + "," + format_date(20720 + d) + "," +
              std::to_string(static_cast<int>((100 + 10 * r + (d * 7 + r * 3) % 5) * lifted)) +
              "\n";
    }
  }
  return text;
}

TEST(Kpi, GapsAreAnErrorOrDroppedWithCounts) {
  testing::TempDir dir;
  const std::string path = dir.write("kpi.csv", kpi_text({"a", "b", "c", "d", "e"}, 10, true));
  EXPECT_EQ(input_error_of([&] { read_kpi(path); }),
            path +
                ": region 'b' has no value for 2 of the 10 dates 2026-09-24 .. 2026-10-03 (first "
                "missing: 2026-09-27); 1 regions have gaps; fill them at the source or pass --gaps "
                "drop-region to leave those regions out");
  const KpiPanel panel = read_kpi(path, GapHandling::kDropRegion);
  EXPECT_EQ(panel.regions, (std::vector<std::string>{"a", "c", "d", "e"}));
  EXPECT_EQ(panel.dropped_regions, std::vector<std::string>{"b"});
  EXPECT_EQ(panel.dropped_values, 8u);
  EXPECT_EQ(panel.days, 10u);
  // The dropped region is then named when it is said to be treated.
  LiftOptions options;
  options.start = 20725;
  EXPECT_EQ(input_error_of([&] {
              analyse_lift(panel, {"a", "b"}, options);
            }),
            "1 treated regions are not in " + path + " (first: 'b'), or were dropped for gaps");
  const std::string twice = dir.write("t.csv",
                                      "region_code,date,value\na,2026-10-01,1\n"
                                      "a,2026-10-01,2\n");
  EXPECT_EQ(input_error_of([&] { read_kpi(twice); }),
            twice + ":3: column 'date': region 'a' has 2026-10-01 twice");
  const std::string negative = dir.write("n.csv", "region_code,date,value\na,2026-10-01,-1\n");
  EXPECT_EQ(input_error_of([&] { read_kpi(negative); }),
            negative + ":2: column 'value': a non-negative KPI value was expected");
  EXPECT_EQ(input_error_of([] { parse_gap_handling("fill"); }),
            "--gaps: expected error or drop-region, got 'fill'");
}

TEST(Lift, AnalysisOfASmallPanel) {
  testing::TempDir dir;
  const KpiPanel panel =
      read_kpi(dir.write("kpi.csv", kpi_text({"a", "b", "c", "d", "e", "f"}, 20, false)));
  LiftOptions options;
  options.start = 20730;
  const LiftAnalysis analysis = analyse_lift(panel, {"a", "b"}, options);
  EXPECT_EQ(analysis.treated, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(analysis.control.size(), 4u);
  EXPECT_NEAR(analysis.estimate.lift, 0.2, 0.02);  // treated series are 1.2 times after day 10
  EXPECT_TRUE(analysis.estimate.significant());
  EXPECT_EQ(analysis.placebo_regions.draws, 200u);
  EXPECT_EQ(analysis.treated_index.size(), 20u);
  EXPECT_NEAR(analysis.treated_index.back() / analysis.control_index.back(), 1.2, 0.05);

  options.start = 20720;  // the first day: no baseline
  EXPECT_EQ(input_error_of([&] {
              analyse_lift(panel, {"a", "b"}, options);
            }),
            "--start: 2026-09-24 leaves no days before or after it in " + panel.path +
                " (2026-09-24 .. 2026-10-13)");
  options.start = 20730;
  EXPECT_EQ(input_error_of([&] { analyse_lift(panel, {"a"}, options); }),
            "lift: 1 treated and 5 control regions have KPI in both periods; at least 2 of each "
            "are needed");
}

}  // namespace
}  // namespace playsight::geo
