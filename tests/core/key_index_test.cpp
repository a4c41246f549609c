#include "core/key_index.h"

#include <gtest/gtest.h>

namespace playsight {
namespace {

TEST(KeyIndex, IntegerKeysUseTheDirectTableInAnyOrder) {
  KeyIndex index;
  for (int id : {700000, 3, 150, 1}) EXPECT_GE(index.add(std::to_string(id)), 0);
  EXPECT_EQ(index.add("150"), KeyIndex::kAbsent);  // repeated
  index.seal();
  EXPECT_TRUE(index.uses_direct_table());
  EXPECT_EQ(index.find("700000"), 0);
  EXPECT_EQ(index.find("150"), 2);
  EXPECT_EQ(index.find("0150"), KeyIndex::kAbsent);  // not the same text
  EXPECT_EQ(index.find("2"), KeyIndex::kAbsent);
  EXPECT_EQ(index.find("99999999999"), KeyIndex::kAbsent);
  EXPECT_EQ(index.key(3), "1");
}

TEST(KeyIndex, OtherKeysMoveEverythingToTheHashMap) {
  KeyIndex index;
  EXPECT_EQ(index.add("12"), 0);
  EXPECT_EQ(index.add("user-7"), 1);
  EXPECT_EQ(index.add("12"), KeyIndex::kAbsent);
  EXPECT_EQ(index.add("007"), 2);
  index.seal();
  EXPECT_FALSE(index.uses_direct_table());
  EXPECT_EQ(index.find("12"), 0);
  EXPECT_EQ(index.find("user-7"), 1);
  EXPECT_EQ(index.find("007"), 2);
  EXPECT_EQ(index.find("7"), KeyIndex::kAbsent);
}

}  // namespace
}  // namespace playsight
