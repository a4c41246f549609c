#include "simulate/detail/world.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace playsight::simulate::detail {
namespace {

// How many items of each category and the price points they come at (KRW, VAT included, so
// multiples of 1,100). Cheaper price points are more common.
struct CategorySpec {
  int item_count;
  std::array<std::int64_t, 6> prices;
  int price_count;
};

constexpr std::array<CategorySpec, kCategoryCount> kCategorySpecs{{
    {180, {5'500, 11'000, 16'500, 22'000, 33'000, 55'000}, 6},  // costume
    {120, {11'000, 22'000, 33'000, 55'000, 99'000}, 5},         // weapon
    {60, {22'000, 33'000, 55'000, 77'000, 110'000}, 5},         // mount
    {150, {1'100, 2'200, 3'300, 5'500}, 4},                     // consumable
    {90, {3'300, 5'500, 11'000, 33'000}, 4},                    // gacha
    {80, {11'000, 33'000, 55'000, 110'000}, 4},                 // package
    {70, {5'500, 11'000, 22'000, 33'000}, 4},                   // pet
    {50, {1'100, 2'200, 3'300, 5'500}, 4},                      // emote
}};

// Rows: taste clusters (fashion, fighter, collector, gambler, generalist); columns: categories.
constexpr std::array<std::array<double, kCategoryCount>, kTasteClusterCount> kTaste{{
    {3.0, 0.4, 0.7, 0.8, 0.8, 0.8, 2.5, 3.0},
    {0.6, 3.5, 0.8, 2.0, 1.2, 1.0, 0.4, 0.5},
    {1.0, 0.6, 3.5, 0.6, 0.8, 2.0, 2.5, 0.8},
    {0.7, 1.0, 0.6, 1.2, 4.5, 1.5, 0.7, 0.6},
    {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0},
}};

// Sessions by hour of the day: quiet at dawn, a lunch bump, the peak in the evening.
constexpr std::array<double, 24> kHourWeights{4.0, 2.5, 1.5, 1.0, 0.7, 0.6, 0.8, 1.2,
                                              1.6, 1.9, 2.2, 2.6, 3.4, 3.2, 3.0, 3.0,
                                              3.3, 3.8, 4.5, 5.3, 6.0, 6.4, 6.0, 5.0};

// Zipf exponent of item popularity: ~800 items, the top 100 take most purchases.
constexpr double kPopularityExponent = 1.15;
constexpr int kMainItemCount = kItemCount / 20;

std::vector<Item> build_catalogue(std::uint64_t seed) {
  Rng rng(seed, 0, kCatalogueStream);
  std::vector<Item> items;
  items.reserve(kItemCount);
  for (int category = 0; category < kCategoryCount; ++category) {
    const CategorySpec& spec = kCategorySpecs[static_cast<std::size_t>(category)];
    std::vector<double> price_weights(static_cast<std::size_t>(spec.price_count));
    for (int i = 0; i < spec.price_count; ++i)
      price_weights[static_cast<std::size_t>(i)] = std::pow(0.6, i);
    const AliasTable price_choice(price_weights);
    for (int i = 0; i < spec.item_count; ++i) {
      Item item;
      item.category = category;
      item.price_krw = spec.prices[price_choice.sample(rng)];
      item.is_high_value = item.price_krw >= kHighValuePriceKrw;
      items.push_back(item);
    }
  }
  // Interleave the categories in the id space, as a real catalogue that grew over time.
  for (std::size_t i = items.size() - 1; i > 0; --i) {
    std::swap(items[i], items[static_cast<std::size_t>(rng.below(i + 1))]);
  }
  for (std::size_t i = 0; i < items.size(); ++i) items[i].id = static_cast<std::int64_t>(i) + 1;

  // Popularity: an exponential race in which cheaper items tend to finish first.
  std::vector<double> race(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    race[i] =
        exponential(rng, 1.0) * std::pow(static_cast<double>(items[i].price_krw) / 5'500.0, 0.3);
  }
  std::vector<std::size_t> order(items.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return race[a] < race[b]; });
  for (std::size_t rank = 0; rank < order.size(); ++rank) {
    items[order[rank]].popularity_rank = static_cast<int>(rank) + 1;
  }

  // Main items: the most popular of the categories a season is built around.
  int main_items = 0;
  for (std::size_t index : order) {
    if (main_items == kMainItemCount) break;
    const std::string_view category =
        kCategoryNames[static_cast<std::size_t>(items[index].category)];
    if (category == "costume" || category == "weapon" || category == "mount" ||
        category == "package" || category == "pet") {
      items[index].is_main = true;
      ++main_items;
    }
  }
  return items;
}

// Weekend sales: about one week in three a Friday-to-Sunday sale of 10-30%, on everything or on
// one category.
std::vector<Sale> build_sales(std::uint64_t seed, Days log_start, Days log_end) {
  Rng rng(seed, 0, kSalesStream);
  std::vector<Sale> sales(static_cast<std::size_t>(log_end - log_start));
  for (Days day = log_start; day < log_end; ++day) {
    const Days weekday = (day + 3) % 7;  // Monday = 0; 1970-01-01 was a Thursday
    if (weekday != 4 || !bernoulli(rng, 0.35)) continue;
    Sale sale;
    sale.discount_percent = 10 * static_cast<int>(1 + rng.below(3));
    sale.category = bernoulli(rng, 0.5) ? -1 : static_cast<int>(rng.below(kCategoryCount));
    for (Days d = day; d < std::min(day + 3, log_end); ++d) {
      sales[static_cast<std::size_t>(d - log_start)] = sale;
    }
  }
  return sales;
}

}  // namespace

void World::append_timestamp(TextBuffer& text, Seconds time) const {
  const Days day = floor_div(time, kSecondsPerDay);
  const auto in_day = static_cast<int>(time - day * kSecondsPerDay);
  char out[19];
  std::memcpy(out, date_prefix[static_cast<std::size_t>(day - log_start)].data(), 11);
  const int hour = in_day / 3600, minute = in_day / 60 % 60, second = in_day % 60;
  out[11] = static_cast<char>('0' + hour / 10);
  out[12] = static_cast<char>('0' + hour % 10);
  out[13] = ':';
  out[14] = static_cast<char>('0' + minute / 10);
  out[15] = static_cast<char>('0' + minute % 10);
  out[16] = ':';
  out[17] = static_cast<char>('0' + second / 10);
  out[18] = static_cast<char>('0' + second % 10);
  text.append(std::string_view(out, sizeof out));
}

double taste_weight(int cluster, int category) {
  return kTaste[static_cast<std::size_t>(cluster)][static_cast<std::size_t>(category)];
}

World build_world(const GeneratorOptions& options) {
  World world;
  world.seed = options.seed;
  world.cutoff = options.cutoff;
  world.log_start = options.cutoff - options.history_days;
  world.log_end = options.cutoff + options.label_days;
  world.nudge_groups = options.nudge_groups;
  world.control_share = options.control_share;
  world.items = build_catalogue(options.seed);
  const std::vector<double> popularity = zipf_weights(world.items.size(), kPopularityExponent);
  for (int cluster = 0; cluster < kTasteClusterCount; ++cluster) {
    std::vector<double> weights(world.items.size());
    for (std::size_t i = 0; i < world.items.size(); ++i) {
      const Item& item = world.items[i];
      weights[i] = popularity[static_cast<std::size_t>(item.popularity_rank - 1)] *
                   taste_weight(cluster, item.category);
    }
    world.item_choice[static_cast<std::size_t>(cluster)] = AliasTable(weights);
  }
  world.sales = build_sales(options.seed, world.log_start, world.log_end);
  for (Days day = world.log_start; day < world.log_end; ++day) {
    world.day_of_month.push_back(static_cast<std::uint8_t>(civil_from_days(day).day));
    char timestamp[24];
    write_timestamp(timestamp, day * kSecondsPerDay);
    std::array<char, 11> prefix{};
    std::memcpy(prefix.data(), timestamp, prefix.size());
    world.date_prefix.push_back(prefix);
  }
  world.session_hour = AliasTable(kHourWeights);
  for (std::size_t hour = 0; hour < 24; ++hour) {
    world.session_hour_share[hour] = world.session_hour.probability(hour);
  }
  return world;
}

}  // namespace playsight::simulate::detail
