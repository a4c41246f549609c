#include "spend/models/feature_matrix.h"

#include <atomic>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/error.h"
#include "core/parallel.h"

namespace playsight::spend {

FeatureMatrix::FeatureMatrix(const Table& table, const std::vector<std::string>& features)
    : rows_(table.rows()), names_(features) {
  std::vector<const std::vector<double>*> columns;
  for (const auto& name : features) {
    bool found = false;
    for (std::size_t c = 0; c < table.column_names.size(); ++c) {
      if (table.column_names[c] == name) {
        columns.push_back(&table.columns[c]);
        found = true;
        break;
      }
    }
    if (!found) {
      throw InputError("the model needs column '" + name +
                       "', which the feature table does not have");
    }
  }
  values_.resize(rows_ * columns.size());
  const std::size_t width = columns.size();
  constexpr std::size_t kBlock = 16384;
  std::atomic<bool> out_of_range{false};
  parallel_for((rows_ + kBlock - 1) / kBlock, 0, [&](std::size_t b, unsigned) {
    bool beyond_float = false;
    for (std::size_t r = b * kBlock; r < std::min(rows_, (b + 1) * kBlock); ++r) {
      for (std::size_t c = 0; c < width; ++c) {
        const double value = (*columns[c])[r];  // NaN stays NaN: XGBoost's missing value
        beyond_float |= std::fabs(value) > std::numeric_limits<float>::max();
        values_[r * width + c] = static_cast<float>(value);
      }
    }
    if (beyond_float) out_of_range.store(true);
  });
  // XGBoost refuses infinities; a value beyond float32 is the input's fault, named here (the
  // first one in row order, whichever worker saw it).
  if (out_of_range.load()) {
    for (std::size_t r = 0; r < rows_; ++r) {
      for (std::size_t c = 0; c < width; ++c) {
        const double value = (*columns[c])[r];
        if (!(std::fabs(value) > std::numeric_limits<float>::max())) continue;
        const std::string row = r < table.keys.size() && !table.keys[r].empty()
                                    ? table.key_name + " " + quote_for_message(table.keys[r])
                                    : "row " + std::to_string(r + 1);
        char text[32];
        std::snprintf(text, sizeof text, "%g", value);
        throw InputError(row + ": feature '" + features[c] + "' is " + text +
                         ", beyond the range of the models' 32-bit floats (about 3.4e38)");
      }
    }
  }
}

FeatureMatrix FeatureMatrix::select(std::span<const std::size_t> rows) const {
  FeatureMatrix out;
  out.rows_ = rows.size();
  out.names_ = names_;
  out.values_.resize(rows.size() * columns());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::copy(row(rows[i]), row(rows[i]) + columns(),
              out.values_.begin() + static_cast<long>(i * columns()));
  }
  return out;
}

namespace {
bool is_label(const std::string& name) {
  return name.rfind("topup_amount_next_", 0) == 0 || name.rfind("topup_count_next_", 0) == 0;
}
}  // namespace

std::vector<std::string> model_feature_columns(const Table& table) {
  std::vector<std::string> features;
  for (const auto& name : table.column_names) {
    if (!is_label(name)) features.push_back(name);
  }
  return features;
}

std::string label_column(const Table& table) {
  std::string found;
  for (const auto& name : table.column_names) {
    if (name.rfind("topup_amount_next_", 0) != 0) continue;
    if (!found.empty())
      throw InputError("the feature table has two label columns: " + found + " and " + name);
    found = name;
  }
  if (found.empty()) {
    throw InputError(
        "the feature table has no label column topup_amount_next_<H>d (build it with "
        "`playsight features` from logs that reach the end of the label window)");
  }
  return found;
}

}  // namespace playsight::spend
