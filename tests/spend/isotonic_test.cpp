#include "spend/models/isotonic.h"

#include <gtest/gtest.h>

namespace playsight::spend {
namespace {

// Worked by hand: predictions 1..6 with actual 1, 3, 2, 2, 5, 4 pool into blocks
// {1} -> 1, {2,3,4} -> (3+2+2)/3 = 7/3, {5,6} -> 4.5 at block-mean predictions 1, 3, 5.5.
TEST(Isotonic, PoolsAdjacentViolatorsAndInterpolates) {
  IsotonicCalibrator calibrator;
  const std::vector<double> predicted{1, 2, 3, 4, 5, 6};
  const std::vector<double> actual{1, 3, 2, 2, 5, 4};
  calibrator.fit(predicted, actual);
  EXPECT_DOUBLE_EQ(calibrator(1), 1);
  EXPECT_DOUBLE_EQ(calibrator(3), 7.0 / 3);
  EXPECT_DOUBLE_EQ(calibrator(5.5), 4.5);
  EXPECT_DOUBLE_EQ(calibrator(2), 1 + 0.5 * (7.0 / 3 - 1));  // halfway between 1 and 3
  EXPECT_DOUBLE_EQ(calibrator(0), 1);                        // flat beyond the ends
  EXPECT_DOUBLE_EQ(calibrator(100), 4.5);
  const IsotonicCalibrator loaded = IsotonicCalibrator::from_json(calibrator.to_json());
  EXPECT_DOUBLE_EQ(loaded(4.2), calibrator(4.2));
}

TEST(Isotonic, TiedPredictionsMapToOneValueAndTheMeanIsKept) {
  IsotonicCalibrator calibrator;
  calibrator.fit(std::vector<double>{0, 0, 0, 10, 10}, std::vector<double>{0, 0, 300, 100, 900});
  EXPECT_DOUBLE_EQ(calibrator(0), 100);
  EXPECT_DOUBLE_EQ(calibrator(10), 500);
  EXPECT_DOUBLE_EQ((3 * calibrator(0) + 2 * calibrator(10)) / 5, 1300.0 / 5);
}

}  // namespace
}  // namespace playsight::spend
