#include "spend/models/gradient_boosting.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "../support/temp_dir.h"
#include "core/error.h"

namespace playsight::spend {
namespace {

// y = 1000 * x0 (+ noise): an easy target, so early stopping must keep a real number of trees
// (neither 0 nor the cap) and predictions must come close.
Table synthetic(std::size_t rows, unsigned seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> uniform(0, 10);
  std::normal_distribution<double> noise(0, 50);
  Table table;
  table.key_name = "player_id";
  std::vector<double> x0, x1, y;
  for (std::size_t r = 0; r < rows; ++r) {
    table.keys.push_back(std::to_string(r));
    x0.push_back(uniform(random));
    x1.push_back(uniform(random));
    y.push_back(std::max(0.0, 1000 * x0.back() + noise(random)));
  }
  table.add_column("x0", x0);
  table.add_column("x1", x1);
  table.add_column("y", y);
  return table;
}

TEST(GradientBoosting, EarlyStoppingKeepsTheBestRoundAndPredictsWell) {
  const Table train = synthetic(4000, 1), valid = synthetic(1000, 2), test = synthetic(1000, 3);
  const FeatureMatrix x_train(train, {"x0", "x1"}), x_valid(valid, {"x0", "x1"}),
      x_test(test, {"x0", "x1"});
  for (auto objective : {BoostingObjective::kSquaredError, BoostingObjective::kTweedie,
                         BoostingObjective::kAbsoluteError}) {
    BoostingParams params;
    params.objective = objective;
    params.max_rounds = 400;
    params.threads = 2;
    GradientBoosting model(params);
    model.fit(x_train, train.column("y"), x_valid, valid.column("y"));
    EXPECT_GT(model.rounds(), 10) << objective_name(objective);
    EXPECT_LT(model.rounds(), 400) << objective_name(objective);
    const std::vector<double> p = model.predict(x_test);
    double error = 0;
    for (std::size_t i = 0; i < p.size(); ++i) error += std::fabs(p[i] - test.column("y")[i]);
    EXPECT_LT(error / static_cast<double>(p.size()), 150)
        << objective_name(objective);  // noise is 50
    testing::TempDir dir;
    model.save(dir.file("m.json"));
    const GradientBoosting loaded = GradientBoosting::load(dir.file("m.json"), params);
    EXPECT_EQ(loaded.rounds(), model.rounds());
    EXPECT_EQ(loaded.predict(x_test), p);
  }
}

TEST(GradientBoosting, RejectsLabelsTheObjectiveCannotTake) {
  Table train = synthetic(100, 1);
  const FeatureMatrix x(train, {"x0", "x1"});
  std::vector<double> y(train.column("y").begin(), train.column("y").end());
  y[3] = -1;
  GradientBoosting model(BoostingParams{});
  EXPECT_THROW(model.fit(x, y, x, y), InputError);
  BoostingParams gamma;
  gamma.objective = BoostingObjective::kGamma;
  std::vector<double> zeros(train.rows(), 0.0);
  EXPECT_THROW(GradientBoosting(gamma).fit(x, zeros, x, zeros), InputError);
}

}  // namespace
}  // namespace playsight::spend
