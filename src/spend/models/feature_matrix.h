#pragma once
// FeatureMatrix: the model-ready view of a feature table: players x features as row-major
// float32 (what XGBoost and the KNN index read) and the feature names in their fixed order. Built
// from a Table by naming the columns to use, so that a model applies to any later table that has
// those columns, in whatever order.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "core/table.h"

namespace playsight::spend {

class FeatureMatrix {
 public:
  // The columns `features` of `table`, in that order. Throws InputError naming the first column
  // the table lacks ("the model needs column 'x', which the feature table does not have").
  FeatureMatrix(const Table& table, const std::vector<std::string>& features);

  std::size_t rows() const { return rows_; }
  std::size_t columns() const { return names_.size(); }
  const std::vector<std::string>& names() const { return names_; }
  const float* row(std::size_t r) const { return values_.data() + r * columns(); }
  const std::vector<float>& values() const { return values_; }

  // A new matrix of the given rows (in that order).
  FeatureMatrix select(std::span<const std::size_t> rows) const;

 private:
  FeatureMatrix() = default;
  std::size_t rows_ = 0;
  std::vector<std::string> names_;
  std::vector<float> values_;
};

// The columns of a feature table that models use: every column except labels
// (topup_amount_next_*, topup_count_next_*).
std::vector<std::string> model_feature_columns(const Table& table);
// The label column (topup_amount_next_<H>d); throws InputError if there is none or several.
std::string label_column(const Table& table);

}  // namespace playsight::spend
