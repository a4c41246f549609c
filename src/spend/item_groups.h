#pragma once
// Item groups: which items players buy together, found by PCA on the player x item matrix of
// the most-bought items (cells: log(1 + purchases)). The top components are varimax-rotated
// within their span (so that each item loads mainly on one) and ordered by the variance they
// explain; each is an item group, and an item belongs to the component on which it loads most.
// A player's features are the purchases in each group and the player's score on each component.
//
// The fitted projection is saved (JSON) with the features so that later feature tables (for
// scoring, or another cutoff) use the same groups rather than refitting.
#include <cstdint>
#include <string>
#include <vector>

namespace playsight::spend {

struct ItemProjection {
  std::vector<std::string> item_ids;             // the top items, most bought first
  std::vector<double> mean;                      // per item, of log(1 + purchases)
  std::vector<std::vector<double>> components;   // [component][item], unit length
  std::vector<double> explained_variance_ratio;  // per component
  std::vector<int> group_of_item;                // component each item belongs to
  std::uint64_t fitted_players = 0;

  std::size_t component_count() const { return components.size(); }
};

// Sparse purchase counts: for each player (row), (item column, count) pairs, sorted by column.
struct SparseCounts {
  std::vector<std::uint64_t> row_start;  // size rows + 1
  std::vector<std::uint32_t> column;
  std::vector<std::uint32_t> count;
  std::size_t rows() const { return row_start.empty() ? 0 : row_start.size() - 1; }
};

// Fits `components` components on counts over `item_ids.size()` columns. Throws InputError when
// fewer items than components were bought.
ItemProjection fit_item_projection(const SparseCounts& counts, std::vector<std::string> item_ids,
                                   int components);

// Scores of each row on each component: [component][row].
std::vector<std::vector<double>> project(const ItemProjection& projection,
                                         const SparseCounts& counts);

void save_item_projection(const ItemProjection& projection, const std::string& path);
ItemProjection load_item_projection(const std::string& path);  // errors name the field

}  // namespace playsight::spend
