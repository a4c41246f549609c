#pragma once
// KNN regression for spend: the prediction for a player is the mean label of the k most similar
// training players. "Similar" is Euclidean distance after standardising every feature and
// projecting onto the top principal components (default 8): an exact k-d tree search (nanoflann)
// in that low-dimensional space, which is what makes 750,000 players tractable — an exact search
// over all 50+ raw features would not prune and would cost O(n) per query. The cost of the
// projection is that neighbours are exact in the projected space only; knn_test.cpp measures
// how often they agree with a brute-force search over all standardised features.
//
// Thread-safety: predict() is const and runs queries in parallel.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "spend/models/feature_matrix.h"

namespace playsight::spend {

struct KnnParams {
  int neighbours = 20;
  int dimensions = 8;  // principal components kept; 0 = all standardised features
  unsigned threads = 0;
};

class KnnRegressor {
 public:
  explicit KnnRegressor(KnnParams params);
  ~KnnRegressor();
  KnnRegressor(KnnRegressor&&) noexcept;
  KnnRegressor& operator=(KnnRegressor&&) noexcept;

  // Throws InputError when there are fewer training rows than neighbours.
  void fit(const FeatureMatrix& train, std::span<const double> y);
  std::vector<double> predict(const FeatureMatrix& x) const;

  // Writes/reads PREFIX.json (the standardisation and projection) and PREFIX.points (the
  // projected training points and labels, little-endian float32/float64).
  void save(const std::string& prefix) const;
  static KnnRegressor load(const std::string& prefix, unsigned threads);

  const KnnParams& params() const { return params_; }
  // The projected point of each row of x (rows x dimensions), for tests.
  std::vector<float> project(const FeatureMatrix& x) const;

 private:
  struct Index;
  void build_index();

  KnnParams params_;
  std::vector<double> mean_, scale_;       // per feature
  std::vector<std::vector<double>> axes_;  // [dimension][feature]
  std::vector<float> points_;              // training rows x dimensions
  std::vector<double> labels_;
  std::unique_ptr<Index> index_;
};

}  // namespace playsight::spend
