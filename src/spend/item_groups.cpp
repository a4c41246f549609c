#include "spend/item_groups.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/table.h"
#include "playsight/version.h"

namespace playsight::spend {

namespace {

// Kaiser's varimax criterion, maximised by the usual SVD iteration: an orthogonal rotation R of
// the loadings L (items x k) that makes each column's squared loadings as spread as possible.
Eigen::MatrixXd varimax(const Eigen::MatrixXd& loadings) {
  const Eigen::Index k = loadings.cols();
  if (k < 2) return loadings;
  const double items = static_cast<double>(loadings.rows());
  Eigen::MatrixXd rotation = Eigen::MatrixXd::Identity(k, k);
  double criterion = 0;
  for (int iteration = 0; iteration < 500; ++iteration) {
    const Eigen::MatrixXd rotated = loadings * rotation;
    const Eigen::MatrixXd cubed = rotated.array().cube().matrix();
    const Eigen::VectorXd column_power = rotated.array().square().colwise().sum().transpose();
    const Eigen::MatrixXd gradient =
        loadings.transpose() * (cubed - rotated * column_power.asDiagonal() / items);
    const Eigen::JacobiSVD<Eigen::MatrixXd> svd(gradient,
                                                Eigen::ComputeFullU | Eigen::ComputeFullV);
    rotation = svd.matrixU() * svd.matrixV().transpose();
    const double next = svd.singularValues().sum();
    if (next < criterion * (1 + 1e-9)) break;
    criterion = next;
  }
  return loadings * rotation;
}

}  // namespace

ItemProjection fit_item_projection(const SparseCounts& counts, std::vector<std::string> item_ids,
                                   int components) {
  const auto items = static_cast<Eigen::Index>(item_ids.size());
  if (components < 1) throw InputError("--item-components must be at least 1");
  if (items < components) {
    throw InputError("only " + std::to_string(items) +
                     " distinct items were bought in the window, "
                     "fewer than --item-components " +
                     std::to_string(components) + "; lower it or use --no-item-groups");
  }
  const auto rows = static_cast<double>(counts.rows());
  if (counts.rows() == 0) throw InputError("no players to fit item groups on");
  // Covariance of log(1 + count) from the sparse rows: E[x x^T] - mean mean^T.
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(items);
  Eigen::MatrixXd second = Eigen::MatrixXd::Zero(items, items);
  for (std::size_t r = 0; r < counts.rows(); ++r) {
    const auto begin = counts.row_start[r];
    const auto end = counts.row_start[r + 1];
    for (auto a = begin; a < end; ++a) {
      const double xa = std::log1p(counts.count[a]);
      sum[counts.column[a]] += xa;
      for (auto b = begin; b < end; ++b) {
        second(counts.column[a], counts.column[b]) += xa * std::log1p(counts.count[b]);
      }
    }
  }
  const Eigen::VectorXd mean = sum / rows;
  const Eigen::MatrixXd covariance = second / rows - mean * mean.transpose();
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance);
  if (solver.info() != Eigen::Success) throw Error("item PCA: the eigen-decomposition failed");
  const double total_variance = std::max(covariance.trace(), 1e-300);

  // The top components span the space of taste; varimax rotates them within that space so
  // that each item loads on one component, which is what makes the components item groups.
  Eigen::MatrixXd basis(items, components);
  for (int k = 0; k < components; ++k) basis.col(k) = solver.eigenvectors().col(items - 1 - k);
  basis = varimax(basis);
  std::vector<std::pair<double, Eigen::Index>> by_variance;
  for (Eigen::Index k = 0; k < components; ++k) {
    by_variance.emplace_back(basis.col(k).dot(covariance * basis.col(k)), k);
  }
  std::stable_sort(by_variance.begin(), by_variance.end(),
                   [](auto a, auto b) { return a.first > b.first; });

  ItemProjection projection;
  projection.item_ids = std::move(item_ids);
  projection.mean.assign(mean.data(), mean.data() + items);
  projection.fitted_players = counts.rows();
  for (const auto& [variance, k] : by_variance) {
    Eigen::VectorXd vector = basis.col(k);
    Eigen::Index largest = 0;
    vector.cwiseAbs().maxCoeff(&largest);
    if (vector[largest] < 0) vector = -vector;  // a stable sign: the main item loads positively
    projection.components.emplace_back(vector.data(), vector.data() + items);
    projection.explained_variance_ratio.push_back(std::max(0.0, variance) / total_variance);
  }
  projection.group_of_item.resize(projection.item_ids.size());
  for (Eigen::Index item = 0; item < items; ++item) {
    int best = 0;
    for (int k = 1; k < components; ++k) {
      if (std::fabs(projection.components[k][item]) > std::fabs(projection.components[best][item]))
        best = k;
    }
    projection.group_of_item[item] = best;
  }
  return projection;
}

std::vector<std::vector<double>> project(const ItemProjection& projection,
                                         const SparseCounts& counts) {
  const std::size_t k_count = projection.component_count();
  std::vector<double> offset(k_count, 0.0);  // mean . component, subtracted from every score
  for (std::size_t k = 0; k < k_count; ++k) {
    for (std::size_t i = 0; i < projection.mean.size(); ++i) {
      offset[k] += projection.mean[i] * projection.components[k][i];
    }
  }
  std::vector<std::vector<double>> scores(k_count, std::vector<double>(counts.rows()));
  for (std::size_t r = 0; r < counts.rows(); ++r) {
    for (std::size_t k = 0; k < k_count; ++k) {
      double score = -offset[k];
      for (auto a = counts.row_start[r]; a < counts.row_start[r + 1]; ++a) {
        score += std::log1p(counts.count[a]) * projection.components[k][counts.column[a]];
      }
      scores[k][r] = score;
    }
  }
  return scores;
}

void save_item_projection(const ItemProjection& projection, const std::string& path) {
  nlohmann::json json;
  json["kind"] = "playsight.item_projection";
  json["playsight_version"] = kVersion;
  json["transform"] = "log1p(purchases)";
  json["fitted_players"] = projection.fitted_players;
  json["item_ids"] = projection.item_ids;
  json["mean"] = projection.mean;
  json["components"] = projection.components;
  json["explained_variance_ratio"] = projection.explained_variance_ratio;
  json["group_of_item"] = projection.group_of_item;
  write_file(path, json.dump(1) + "\n");
}

ItemProjection load_item_projection(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path + ": cannot open the item projection");
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& error) {
    throw InputError(path + ": not valid JSON: " + error.what());
  }
  ItemProjection projection;
  const auto field = [&](const char* name) -> const nlohmann::json& {
    if (!json.contains(name)) throw InputError(path + ": missing field '" + name + "'");
    return json.at(name);
  };
  try {
    projection.item_ids = field("item_ids").get<std::vector<std::string>>();
    projection.mean = field("mean").get<std::vector<double>>();
    projection.components = field("components").get<std::vector<std::vector<double>>>();
    projection.explained_variance_ratio =
        field("explained_variance_ratio").get<std::vector<double>>();
    projection.group_of_item = field("group_of_item").get<std::vector<int>>();
    projection.fitted_players = json.value("fitted_players", std::uint64_t{0});
  } catch (const nlohmann::json::exception& error) {
    throw InputError(path + ": a field has the wrong type: " + error.what());
  }
  const std::size_t items = projection.item_ids.size();
  bool consistent = projection.mean.size() == items && projection.group_of_item.size() == items &&
                    !projection.components.empty();
  for (const auto& component : projection.components) consistent &= component.size() == items;
  for (int group : projection.group_of_item) {
    consistent &= group >= 0 && static_cast<std::size_t>(group) < projection.components.size();
  }
  if (!consistent) {
    throw InputError(path + ": item_ids, mean, components and group_of_item disagree in size");
  }
  return projection;
}

}  // namespace playsight::spend
