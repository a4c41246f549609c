#include "spend/item_groups.h"

#include <gtest/gtest.h>

#include <random>

#include "../support/temp_dir.h"
#include "core/error.h"

namespace playsight::spend {
namespace {

// Players of two tastes: half buy among items 0-4, half among items 5-9, a few buy across;
// players differ in how much they buy (1 to 10 purchases), as real players do.
SparseCounts two_taste_counts(int players) {
  std::mt19937 random(11);
  SparseCounts counts;
  counts.row_start.push_back(0);
  for (int p = 0; p < players; ++p) {
    const int first = (p % 2 == 0) ? 0 : 5;
    std::vector<std::uint32_t> bought(10, 0);
    const int purchases = 1 + static_cast<int>(random() % 10);
    for (int i = 0; i < purchases; ++i)
      ++bought[static_cast<std::size_t>(first + static_cast<int>(random() % 5))];
    if (random() % 10 == 0) ++bought[random() % 10];
    for (std::uint32_t item = 0; item < 10; ++item) {
      if (bought[item] == 0) continue;
      counts.column.push_back(item);
      counts.count.push_back(bought[item]);
    }
    counts.row_start.push_back(counts.column.size());
  }
  return counts;
}

std::vector<std::string> ten_ids() {
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i) ids.push_back("item" + std::to_string(i));
  return ids;
}

TEST(ItemGroups, PcaSeparatesTwoTastes) {
  const SparseCounts counts = two_taste_counts(2000);
  const ItemProjection projection = fit_item_projection(counts, ten_ids(), 2);
  ASSERT_EQ(projection.component_count(), 2u);
  // Every item of one taste must land in one group and the other taste's items in the other.
  const int group_of_first_taste = projection.group_of_item[0];
  for (int item = 0; item < 5; ++item)
    EXPECT_EQ(projection.group_of_item[item], group_of_first_taste) << item;
  for (int item = 5; item < 10; ++item)
    EXPECT_NE(projection.group_of_item[item], group_of_first_taste) << item;
  EXPECT_GT(projection.explained_variance_ratio[0] + projection.explained_variance_ratio[1], 0.5);
  EXPECT_GE(projection.explained_variance_ratio[0], projection.explained_variance_ratio[1]);
  // A player's score is high on their own taste's component and low on the other's.
  const auto scores = project(projection, counts);
  const std::size_t own = static_cast<std::size_t>(group_of_first_taste);
  int agree = 0;
  for (std::size_t p = 0; p < 2000; ++p) {
    const bool first_taste = p % 2 == 0;
    agree += (scores[own][p] > scores[1 - own][p]) == first_taste;
  }
  EXPECT_GT(agree, 1800);
}

TEST(ItemGroups, SavedProjectionReloadsExactly) {
  testing::TempDir dir;
  const SparseCounts counts = two_taste_counts(500);
  const ItemProjection fitted = fit_item_projection(counts, ten_ids(), 3);
  save_item_projection(fitted, dir.file("p.json"));
  const ItemProjection loaded = load_item_projection(dir.file("p.json"));
  EXPECT_EQ(loaded.item_ids, fitted.item_ids);
  EXPECT_EQ(loaded.group_of_item, fitted.group_of_item);
  EXPECT_EQ(project(loaded, counts), project(fitted, counts));
}

TEST(ItemGroups, ClearErrors) {
  testing::TempDir dir;
  EXPECT_THROW(fit_item_projection(two_taste_counts(50), ten_ids(), 11), InputError);
  dir.write("bad.json", "{\"item_ids\": [\"a\"], \"mean\": [0, 1]}");
  try {
    load_item_projection(dir.file("bad.json"));
    FAIL();
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("missing field 'components'"), std::string::npos);
  }
}

}  // namespace
}  // namespace playsight::spend
