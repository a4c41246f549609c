#include "spend/feature_catalog.h"

#include "spend/detail/player_counters.h"

namespace playsight::spend {
namespace {

using detail::EventCounters;

class CatalogBuilder {
 public:
  CatalogBuilder(const FeatureOptions& options, const CatalogData& data)
      : options_(options), data_(data) {}

  template <class ValueOfPlayer>
  void add(std::string name, std::string group, std::string definition, ValueOfPlayer value) {
    FeatureSpec spec{std::move(name), std::move(group), std::move(definition), nullptr};
    if (data_.counters) {
      spec.fill = [value](std::span<const std::size_t> players, double* out) {
        for (std::size_t i = 0; i < players.size(); ++i)
          out[i] = static_cast<double>(value(players[i]));
      };
    }
    specs_.push_back(std::move(spec));
  }

  // count_<w>d / amount_<w>d / distinct days per window for one kind of event.
  void windowed(const std::string& prefix, const std::string& group, const std::string& what,
                const EventCounters* counters, const std::string& kind) {
    for (std::size_t w = 0; w < options_.windows.size(); ++w) {
      const int days = options_.windows[w];
      const std::string suffix = "_last_" + std::to_string(days) + "d";
      const std::string span = " in the " + std::to_string(days) + " days before the cutoff";
      if (kind == "count") {
        add(prefix + suffix, group, what + span,
            [counters, w](std::size_t p) { return counters->count(p, w); });
      } else if (kind == "minutes") {
        add(prefix + suffix, group, what + span,
            [counters, w](std::size_t p) { return counters->amount(p, w) / 60.0; });
      } else if (kind == "amount") {
        add(prefix + suffix, group, what + span,
            [counters, w](std::size_t p) { return counters->amount(p, w); });
      } else {
        add(prefix + suffix, group, what + span,
            [counters, days](std::size_t p) { return counters->distinct_days(p, days); });
      }
    }
  }

  void recency(const std::string& name, const std::string& group, const std::string& what,
               const EventCounters* counters) {
    const int none = options_.observation_days + 1;
    add(name, group,
        "calendar days from the last " + what + " to the cutoff (1 = the day before); " +
            std::to_string(none) + " if none in the " + std::to_string(options_.observation_days) +
            "-day observation window",
        [counters, none](std::size_t p) {
          const auto latest = counters->latest_days_before(p);
          return latest == EventCounters::kNone ? none : latest + 1.0;
        });
  }

  std::vector<FeatureSpec> take() { return std::move(specs_); }

 private:
  const FeatureOptions& options_;
  const CatalogData& data_;
  std::vector<FeatureSpec> specs_;
};

const std::vector<double>& column_or_empty(const std::vector<double>* column) {
  static const std::vector<double> kEmpty;
  return column ? *column : kEmpty;
}

}  // namespace

std::vector<FeatureSpec> feature_catalog(const FeatureOptions& options, const CatalogShape& shape,
                                         const CatalogData& data) {
  CatalogBuilder catalog(options, data);
  const detail::PlayerCounters* counters = data.counters;
  const std::string window = std::to_string(options.observation_days) + "-day observation window";

  if (shape.game_log) {
    const auto& female = column_or_empty(data.is_female);
    const auto& male = column_or_empty(data.is_male);
    const auto& age = column_or_empty(data.age);
    const auto& signup = column_or_empty(data.days_since_signup);
    catalog.add("is_female", "demographics", "1 if players.csv says gender F, else 0",
                [&female](std::size_t p) { return female[p]; });
    catalog.add("is_male", "demographics", "1 if players.csv says gender M, else 0",
                [&male](std::size_t p) { return male[p]; });
    catalog.add("age", "demographics", "age in years, as in players.csv",
                [&age](std::size_t p) { return age[p]; });
    catalog.add("days_since_signup", "demographics", "calendar days from signup_date to the cutoff",
                [&signup](std::size_t p) { return signup[p]; });

    const EventCounters* logins = counters ? &counters->logins : nullptr;
    catalog.windowed("login_count", "access", "logins", logins, "count");
    catalog.windowed("play_minutes", "access", "minutes played (sum of play_seconds / 60)", logins,
                     "minutes");
    catalog.windowed("active_days", "access", "distinct calendar days with a login", logins,
                     "days");
    catalog.recency("days_since_last_login", "access", "login", logins);
  }

  const EventCounters* topups = counters ? &counters->topups : nullptr;
  catalog.windowed("topup_count", "topup", "cash top-ups", topups, "count");
  catalog.windowed("topup_amount", "topup", "KRW topped up", topups, "amount");
  catalog.recency("days_since_last_topup", "topup", "top-up", topups);

  if (shape.game_log) {
    const EventCounters* purchases = counters ? &counters->purchases : nullptr;
    catalog.windowed("purchase_count", "purchase", "items bought with cash", purchases, "count");
    catalog.windowed("purchase_amount", "purchase", "KRW paid for items", purchases, "amount");
    const EventCounters* visits = counters ? &counters->shop_visits : nullptr;
    catalog.windowed("shop_visit_count", "cash_shop", "cash-shop visits", visits, "count");
    catalog.windowed("shop_visit_days", "cash_shop",
                     "distinct calendar days with a cash-shop visit", visits, "days");
  }

  if (shape.game_log && shape.items) {
    const std::size_t widest = options.windows.size() - 1;  // the observation window itself
    catalog.add("mean_list_price_bought", "items",
                "mean catalogue price (items.csv price_krw) of the items bought in the " + window +
                    "; 0 if none",
                [counters, widest](std::size_t p) {
                  const double n = counters->purchases.count(p, widest);
                  return n > 0 ? counters->list_price_sum[p] / n : 0.0;
                });
    catalog.add("mean_price_paid", "items",
                "mean price paid per item bought in the " + window + "; 0 if none",
                [counters, widest](std::size_t p) {
                  const double n = counters->purchases.count(p, widest);
                  return n > 0 ? counters->purchases.amount(p, widest) / n : 0.0;
                });
    catalog.add("main_item_purchases", "items",
                "purchases of the game's main items (is_main) in the " + window,
                [counters](std::size_t p) { return counters->main_items[p]; });
    catalog.add("high_value_item_purchases", "items",
                "purchases of high-value items (is_high_value) in the " + window,
                [counters](std::size_t p) { return counters->high_value_items[p]; });
    catalog.add("bought_main_item", "items", "1 if main_item_purchases > 0, else 0",
                [counters](std::size_t p) { return counters->main_items[p] > 0 ? 1.0 : 0.0; });
    catalog.add(
        "bought_high_value_item", "items", "1 if high_value_item_purchases > 0, else 0",
        [counters](std::size_t p) { return counters->high_value_items[p] > 0 ? 1.0 : 0.0; });
  }

  for (int k = 0; k < shape.item_components; ++k) {
    const auto* groups = data.item_group_purchases;
    catalog.add("item_group_" + std::to_string(k + 1) + "_purchases", "items",
                "purchases in the " + window + " of the items of group " + std::to_string(k + 1) +
                    " (the items loading most on component " + std::to_string(k + 1) +
                    " of a varimax-rotated PCA of the player x top-" +
                    std::to_string(options.top_items) + "-item matrix)",
                [groups, k](std::size_t p) { return (*groups)[static_cast<std::size_t>(k)][p]; });
  }
  for (int k = 0; k < shape.item_components; ++k) {
    const auto* scores = data.item_scores;
    catalog.add("item_pca_" + std::to_string(k + 1), "items",
                "the player's score on item component " + std::to_string(k + 1) +
                    " (cells log(1 + purchases) of the top-" + std::to_string(options.top_items) +
                    " items, centred)",
                [scores, k](std::size_t p) { return (*scores)[static_cast<std::size_t>(k)][p]; });
  }

  if (shape.label) {
    const std::string horizon = std::to_string(options.label_days);
    catalog.add("topup_amount_next_" + horizon + "d", "label",
                "the label: KRW topped up from the cutoff to " + horizon + " days after it",
                [counters](std::size_t p) { return counters->label_amount[p]; });
    catalog.add("topup_count_next_" + horizon + "d", "label",
                "top-ups from the cutoff to " + horizon + " days after it",
                [counters](std::size_t p) { return counters->label_count[p]; });
  }
  return catalog.take();
}

}  // namespace playsight::spend
