#include "spend/models/knn_regressor.h"

#include <Eigen/Dense>
#include <cmath>
#include <cstring>
#include <fstream>
#include <nanoflann.hpp>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/parallel.h"
#include "core/table.h"

namespace playsight::spend {

// nanoflann reads the points through this adaptor.
// It holds the buffer's address (which a moved vector keeps), not the vector's.
struct KnnPoints {
  const float* points = nullptr;
  std::size_t count = 0;
  std::size_t dimensions = 0;
  std::size_t kdtree_get_point_count() const { return count; }
  float kdtree_get_pt(std::size_t index, std::size_t dimension) const {
    return points[index * dimensions + dimension];
  }
  template <class Box>
  bool kdtree_get_bbox(Box&) const {
    return false;
  }
};

using KdTree = nanoflann::KDTreeSingleIndexAdaptor<nanoflann::L2_Simple_Adaptor<float, KnnPoints>,
                                                   KnnPoints, -1, std::uint32_t>;

struct KnnRegressor::Index {
  KnnPoints adaptor;
  std::unique_ptr<KdTree> tree;
};

KnnRegressor::KnnRegressor(KnnParams params) : params_(params) {}
KnnRegressor::~KnnRegressor() = default;
KnnRegressor::KnnRegressor(KnnRegressor&&) noexcept = default;
KnnRegressor& KnnRegressor::operator=(KnnRegressor&&) noexcept = default;

void KnnRegressor::fit(const FeatureMatrix& train, std::span<const double> y) {
  const std::size_t n = train.rows();
  const std::size_t d = train.columns();
  if (n < static_cast<std::size_t>(params_.neighbours) || n == 0) {
    throw InputError("KNN needs at least " + std::to_string(params_.neighbours) +
                     " training players, got " + std::to_string(n));
  }
  // Standardise (missing values become the mean, i.e. 0).
  mean_.assign(d, 0.0);
  scale_.assign(d, 0.0);
  std::vector<double> present(d, 0.0);
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t c = 0; c < d; ++c) {
      const double v = train.row(r)[c];
      if (std::isnan(v)) continue;
      mean_[c] += v;
      scale_[c] += v * v;
      present[c] += 1;
    }
  }
  for (std::size_t c = 0; c < d; ++c) {
    const double count = std::max(1.0, present[c]);
    mean_[c] /= count;
    const double variance = scale_[c] / count - mean_[c] * mean_[c];
    scale_[c] = variance > 1e-12 ? std::sqrt(variance) : 1.0;
  }
  // Principal axes of the standardised features.
  const std::size_t dims =
      params_.dimensions > 0 ? std::min<std::size_t>(params_.dimensions, d) : d;
  Eigen::MatrixXd covariance =
      Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(d));
  Eigen::VectorXd z(static_cast<Eigen::Index>(d));
  const std::size_t stride = std::max<std::size_t>(1, n / 200000);  // a sample is plenty for d x d
  double sampled = 0;
  for (std::size_t r = 0; r < n; r += stride) {
    for (std::size_t c = 0; c < d; ++c) {
      const double v = train.row(r)[c];
      z[static_cast<Eigen::Index>(c)] = std::isnan(v) ? 0.0 : (v - mean_[c]) / scale_[c];
    }
    covariance.noalias() += z * z.transpose();
    sampled += 1;
  }
  covariance /= sampled;
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance);
  axes_.clear();
  for (std::size_t k = 0; k < dims; ++k) {
    const auto column = solver.eigenvectors().col(static_cast<Eigen::Index>(d - 1 - k));
    axes_.emplace_back(column.data(), column.data() + d);
  }
  labels_.assign(y.begin(), y.end());
  points_ = project(train);
  build_index();
}

std::vector<float> KnnRegressor::project(const FeatureMatrix& x) const {
  const std::size_t d = mean_.size();
  if (x.columns() != d)
    throw Error("KNN: the matrix has " + std::to_string(x.columns()) + " features, the model " +
                std::to_string(d));
  const std::size_t dims = axes_.size();
  std::vector<float> out(x.rows() * dims);
  parallel_for((x.rows() + 4095) / 4096, params_.threads, [&](std::size_t block, unsigned) {
    std::vector<double> z(d);
    for (std::size_t r = block * 4096; r < std::min(x.rows(), (block + 1) * 4096); ++r) {
      for (std::size_t c = 0; c < d; ++c) {
        const double v = x.row(r)[c];
        z[c] = std::isnan(v) ? 0.0 : (v - mean_[c]) / scale_[c];
      }
      for (std::size_t k = 0; k < dims; ++k) {
        double s = 0;
        for (std::size_t c = 0; c < d; ++c) s += z[c] * axes_[k][c];
        out[r * dims + k] = static_cast<float>(s);
      }
    }
  });
  return out;
}

void KnnRegressor::build_index() {
  index_ = std::make_unique<Index>();
  index_->adaptor = KnnPoints{points_.data(), labels_.size(), axes_.size()};
  index_->tree = std::make_unique<KdTree>(axes_.size(), index_->adaptor,
                                          nanoflann::KDTreeSingleIndexAdaptorParams(16));
}

std::vector<double> KnnRegressor::predict(const FeatureMatrix& x) const {
  if (!index_) throw Error("KnnRegressor::predict before fit or load");
  const std::vector<float> queries = project(x);
  const std::size_t dims = axes_.size();
  const auto k = static_cast<std::size_t>(params_.neighbours);
  std::vector<double> out(x.rows());
  parallel_for((x.rows() + 1023) / 1024, params_.threads, [&](std::size_t block, unsigned) {
    std::vector<std::uint32_t> found(k);
    std::vector<float> distances(k);
    for (std::size_t r = block * 1024; r < std::min(x.rows(), (block + 1) * 1024); ++r) {
      const std::size_t n =
          index_->tree->knnSearch(queries.data() + r * dims, k, found.data(), distances.data());
      double sum = 0;
      for (std::size_t i = 0; i < n; ++i) sum += labels_[found[i]];
      out[r] = n > 0 ? sum / static_cast<double>(n) : 0.0;
    }
  });
  return out;
}

void KnnRegressor::save(const std::string& prefix) const {
  nlohmann::json json;
  json["kind"] = "playsight.knn_regressor";
  json["neighbours"] = params_.neighbours;
  json["dimensions"] = axes_.size();
  json["mean"] = mean_;
  json["scale"] = scale_;
  json["axes"] = axes_;
  json["points"] = labels_.size();
  write_file(prefix + ".json", json.dump() + "\n");
  std::string bytes(points_.size() * sizeof(float) + labels_.size() * sizeof(double), '\0');
  std::memcpy(bytes.data(), points_.data(), points_.size() * sizeof(float));
  std::memcpy(bytes.data() + points_.size() * sizeof(float), labels_.data(),
              labels_.size() * sizeof(double));
  write_file(prefix + ".points", bytes);
}

KnnRegressor KnnRegressor::load(const std::string& prefix, unsigned threads) {
  std::ifstream in(prefix + ".json");
  if (!in) throw InputError(prefix + ".json: cannot open the KNN model");
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& error) {
    throw InputError(prefix + ".json: not valid JSON: " + error.what());
  }
  KnnParams params;
  params.threads = threads;
  KnnRegressor model(params);
  try {
    model.params_.neighbours = json.at("neighbours").get<int>();
    model.params_.dimensions = json.at("dimensions").get<int>();
    model.mean_ = json.at("mean").get<std::vector<double>>();
    model.scale_ = json.at("scale").get<std::vector<double>>();
    model.axes_ = json.at("axes").get<std::vector<std::vector<double>>>();
  } catch (const nlohmann::json::exception& error) {
    throw InputError(prefix + ".json: " + error.what());
  }
  const std::size_t count = json.value("points", std::size_t{0});
  std::ifstream points(prefix + ".points", std::ios::binary);
  if (!points) throw InputError(prefix + ".points: cannot open the KNN points");
  const std::size_t dims = model.axes_.size();
  model.points_.resize(count * dims);
  model.labels_.resize(count);
  points.read(reinterpret_cast<char*>(model.points_.data()),
              static_cast<std::streamsize>(model.points_.size() * sizeof(float)));
  points.read(reinterpret_cast<char*>(model.labels_.data()),
              static_cast<std::streamsize>(count * sizeof(double)));
  if (!points)
    throw InputError(prefix + ".points: truncated (expected " + std::to_string(count) + " points)");
  model.build_index();
  return model;
}

}  // namespace playsight::spend
