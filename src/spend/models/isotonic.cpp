#include "spend/models/isotonic.h"

#include <algorithm>
#include <numeric>

#include "core/error.h"

namespace playsight::spend {

void IsotonicCalibrator::fit(std::span<const double> predicted, std::span<const double> actual) {
  if (predicted.empty() || predicted.size() != actual.size()) {
    throw Error("isotonic calibration needs as many predictions as actual amounts, and some");
  }
  std::vector<std::size_t> order(predicted.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return predicted[a] < predicted[b]; });
  // Pool adjacent violators over blocks (sum of x, sum of y, count).
  struct Block {
    double x = 0, y = 0, n = 0;
  };
  std::vector<Block> blocks;
  for (std::size_t i = 0; i < order.size(); ++i) {
    Block block{predicted[order[i]], actual[order[i]], 1};
    // Equal predictions always share a block (they must map to one value).
    while (i + 1 < order.size() && predicted[order[i + 1]] == predicted[order[i]]) {
      ++i;
      block.x += predicted[order[i]];
      block.y += actual[order[i]];
      block.n += 1;
    }
    blocks.push_back(block);
    while (blocks.size() > 1) {
      const Block& last = blocks.back();
      const Block& before = blocks[blocks.size() - 2];
      if (before.y / before.n <= last.y / last.n) break;
      Block merged{before.x + last.x, before.y + last.y, before.n + last.n};
      blocks.pop_back();
      blocks.back() = merged;
    }
  }
  knots_x_.clear();
  knots_y_.clear();
  for (const Block& block : blocks) {
    knots_x_.push_back(block.x / block.n);
    knots_y_.push_back(block.y / block.n);
  }
}

double IsotonicCalibrator::operator()(double predicted) const {
  if (knots_x_.empty()) return predicted;
  if (predicted <= knots_x_.front()) return knots_y_.front();
  if (predicted >= knots_x_.back()) return knots_y_.back();
  const auto upper =
      std::upper_bound(knots_x_.begin(), knots_x_.end(), predicted) - knots_x_.begin();
  const auto i = static_cast<std::size_t>(upper);
  const double t = (predicted - knots_x_[i - 1]) / (knots_x_[i] - knots_x_[i - 1]);
  return knots_y_[i - 1] + t * (knots_y_[i] - knots_y_[i - 1]);
}

nlohmann::json IsotonicCalibrator::to_json() const {
  return {{"x", knots_x_}, {"y", knots_y_}};
}

IsotonicCalibrator IsotonicCalibrator::from_json(const nlohmann::json& json) {
  IsotonicCalibrator calibrator;
  calibrator.knots_x_ = json.at("x").get<std::vector<double>>();
  calibrator.knots_y_ = json.at("y").get<std::vector<double>>();
  if (calibrator.knots_x_.size() != calibrator.knots_y_.size()) {
    throw InputError("isotonic calibration: x and y differ in length");
  }
  return calibrator;
}

}  // namespace playsight::spend
