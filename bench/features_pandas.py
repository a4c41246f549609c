#!/usr/bin/python3
"""The pandas peer of `playsight features`: the same per-player features, computed the way a
data engineer would with pandas (read_csv, vectorised masks, groupby aggregates, joins).

usage: /usr/bin/python3 bench/features_pandas.py LOGDIR --cutoff YYYY-MM-DD --out OUT.csv
           [--window-days 90] [--label-days 30]

It computes the features that playsight computes with --no-item-groups (see the feature list in
bench/README or the brief of scripts/bench); the benchmark and tests/e2e compare the two outputs
with bench/compare_features.py.

Definitions, with C = the cutoff date at 00:00:00, W = window days, H = label days:
  observation events  C - W days <= t < C;   window w in (7, 30, 90), w <= W: C - w days <= t < C
  label events        C <= t < C + H days
  players             rows of players.csv with signup_date < C, in file order
  player_id           compared as text; read as int64 when every id in players.csv is a canonical
                      integer (the generator's ids), since that is what makes pandas fast
"""
import argparse
import os
import re
import sys

import numpy as np
import pandas as pd

ALL_WINDOWS = (7, 30, 90)
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"
CANONICAL_INTEGER = re.compile(r"-?(0|[1-9][0-9]{0,17})")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("logdir")
    parser.add_argument("--cutoff", required=True, help="YYYY-MM-DD")
    parser.add_argument("--out", required=True)
    parser.add_argument("--window-days", type=int, default=90)
    parser.add_argument("--label-days", type=int, default=30)
    args = parser.parse_args(argv)
    if args.window_days < 1 or args.label_days < 1:
        parser.error("--window-days and --label-days must be at least 1")
    return args


class Frame:
    """The time frame of one run: the cutoff, the observation windows and the label window."""

    def __init__(self, cutoff, window_days, label_days):
        self.cutoff = pd.Timestamp(cutoff)
        self.window_days = window_days
        self.label_days = label_days
        self.windows = [w for w in ALL_WINDOWS if w <= window_days]
        self.observation_start = self.cutoff - pd.Timedelta(days=window_days)
        self.label_end = self.cutoff + pd.Timedelta(days=label_days)

    def window_start(self, w):
        return self.cutoff - pd.Timedelta(days=w)


# ---------------------------------------------------------------- reading


def read_players(logdir, frame):
    players = pd.read_csv(
        os.path.join(logdir, "players.csv"),
        usecols=["player_id", "gender", "age", "signup_date"],
        dtype={"player_id": str, "gender": str},
        keep_default_na=False,
    )
    players["signup_date"] = pd.to_datetime(players["signup_date"], format="%Y-%m-%d")
    players = players[players["signup_date"] < frame.cutoff]
    integer_ids = players["player_id"].map(lambda s: CANONICAL_INTEGER.fullmatch(s) is not None)
    id_dtype = "int64" if integer_ids.all() else str
    if id_dtype == "int64":
        players["player_id"] = players["player_id"].astype("int64")
    return players.reset_index(drop=True), id_dtype


def read_events(logdir, file_name, time_column, value_columns, id_dtype, frame, dtypes=None):
    """Reads one event file, keeping only the rows inside [C - W days, C + H days)."""
    path = os.path.join(logdir, file_name)
    columns = ["player_id", time_column, *value_columns]
    dtype = {"player_id": id_dtype, time_column: str, **(dtypes or {})}
    try:
        events = pd.read_csv(path, usecols=columns, dtype=dtype)
    except ValueError:
        if id_dtype == str:
            raise
        # An event file with non-integer ids: those rows cannot belong to any player.
        events = pd.read_csv(path, usecols=columns, dtype={**dtype, "player_id": str})
        events = events[events["player_id"].str.fullmatch(CANONICAL_INTEGER.pattern)]
        events["player_id"] = events["player_id"].astype("int64")
    events = events.rename(columns={time_column: "time"})
    events["time"] = pd.to_datetime(events["time"], format=TIMESTAMP_FORMAT)
    in_frame = (events["time"] >= frame.observation_start) & (events["time"] < frame.label_end)
    return events[in_frame]


def observation(events, frame):
    return events[events["time"] < frame.cutoff]


# ---------------------------------------------------------------- feature blocks


def windowed_counts_and_sums(events, frame, count_name, sum_name=None, value=None, scale=1):
    """{count_name}_last_{w}d and, with a value column, {sum_name}_last_{w}d per player."""
    columns = {}
    for w in frame.windows:
        in_window = events["time"] >= frame.window_start(w)
        columns[f"{count_name}_last_{w}d"] = in_window.astype(np.int64)
        if value is not None:
            columns[f"{sum_name}_last_{w}d"] = events[value].where(in_window, 0)
    result = pd.DataFrame(columns).groupby(events["player_id"], sort=False).sum()
    if scale != 1:
        for w in frame.windows:
            result[f"{sum_name}_last_{w}d"] = result[f"{sum_name}_last_{w}d"] / scale
    return result


def windowed_distinct_days(events, frame, name):
    """{name}_last_{w}d: distinct calendar days with at least one event in window w."""
    days = pd.DataFrame({"player_id": events["player_id"],
                         "day": events["time"].dt.floor("D")}).drop_duplicates()
    columns = {f"{name}_last_{w}d": (days["day"] >= frame.window_start(w)).astype(np.int64)
               for w in frame.windows}
    return pd.DataFrame(columns).groupby(days["player_id"], sort=False).sum()


def days_since_last(events, frame, name):
    """Calendar days from the latest event's day to the cutoff (1 = the day before); absent
    players get W + 1."""
    latest = events.groupby("player_id", sort=False)["time"].max().dt.floor("D")
    return ((frame.cutoff - latest) // pd.Timedelta(days=1)).rename(name).to_frame()


# ---------------------------------------------------------------- the tables


def login_features(logdir, frame, id_dtype):
    logins = observation(read_events(logdir, "logins.csv", "login_time", ["play_seconds"],
                                     id_dtype, frame), frame)
    return [
        windowed_counts_and_sums(logins, frame, "login_count", "play_minutes", "play_seconds",
                                 scale=60),
        windowed_distinct_days(logins, frame, "active_days"),
        days_since_last(logins, frame, "days_since_last_login"),
    ]


def topup_features(logdir, frame, id_dtype):
    topups = read_events(logdir, "topups.csv", "topup_time", ["amount_krw"], id_dtype, frame)
    observed = observation(topups, frame)
    labels = topups[topups["time"] >= frame.cutoff].groupby("player_id", sort=False)
    label_name = f"next_{frame.label_days}d"
    label = pd.DataFrame({f"topup_amount_{label_name}": labels["amount_krw"].sum(),
                          f"topup_count_{label_name}": labels.size()})
    return [
        windowed_counts_and_sums(observed, frame, "topup_count", "topup_amount", "amount_krw"),
        days_since_last(observed, frame, "days_since_last_topup"),
    ], label


def purchase_features(logdir, frame, id_dtype):
    purchases = observation(read_events(logdir, "purchases.csv", "purchase_time",
                                        ["item_id", "price_krw"], id_dtype, frame,
                                        dtypes={"item_id": str}), frame)
    items = pd.read_csv(os.path.join(logdir, "items.csv"),
                        usecols=["item_id", "price_krw", "is_main", "is_high_value"],
                        dtype={"item_id": str}).rename(columns={"price_krw": "list_price_krw"})
    bought = purchases.merge(items, on="item_id", how="left")
    per_player = bought.groupby("player_id", sort=False).agg(
        mean_list_price_bought=("list_price_krw", "mean"),
        mean_price_paid=("price_krw", "mean"),
        main_item_purchases=("is_main", "sum"),
        high_value_item_purchases=("is_high_value", "sum"),
    )
    return [
        windowed_counts_and_sums(purchases, frame, "purchase_count", "purchase_amount",
                                 "price_krw"),
        per_player,
    ]


def shop_visit_features(logdir, frame, id_dtype):
    visits = observation(read_events(logdir, "shop_visits.csv", "visit_time", [], id_dtype, frame),
                         frame)
    return [
        windowed_counts_and_sums(visits, frame, "shop_visit_count"),
        windowed_distinct_days(visits, frame, "shop_visit_days"),
    ]


def features(logdir, frame):
    players, id_dtype = read_players(logdir, frame)
    logins = login_features(logdir, frame, id_dtype)
    topups, label = topup_features(logdir, frame, id_dtype)
    purchases = purchase_features(logdir, frame, id_dtype)
    visits = shop_visit_features(logdir, frame, id_dtype)

    out = pd.DataFrame({
        "player_id": players["player_id"],
        "is_female": (players["gender"] == "F").astype(np.int64),
        "is_male": (players["gender"] == "M").astype(np.int64),
        "age": players["age"],
        "days_since_signup": (frame.cutoff - players["signup_date"]).dt.days,
    })
    out = out.set_index("player_id")
    out = out.join(pd.concat(logins + topups + purchases + visits + [label], axis=1))

    out["days_since_last_login"] = out["days_since_last_login"].fillna(frame.window_days + 1)
    out["days_since_last_topup"] = out["days_since_last_topup"].fillna(frame.window_days + 1)
    out = out.fillna(0)
    out["bought_main_item"] = (out["main_item_purchases"] > 0).astype(np.int64)
    out["bought_high_value_item"] = (out["high_value_item_purchases"] > 0).astype(np.int64)
    return out[column_order(frame)].reset_index()


def column_order(frame):
    def per_window(*names):
        return [f"{name}_last_{w}d" for name in names for w in frame.windows]

    return [
        "is_female", "is_male", "age", "days_since_signup",
        *per_window("login_count", "play_minutes", "active_days"), "days_since_last_login",
        *per_window("topup_count", "topup_amount"), "days_since_last_topup",
        *per_window("purchase_count", "purchase_amount", "shop_visit_count", "shop_visit_days"),
        "mean_list_price_bought", "mean_price_paid",
        "main_item_purchases", "high_value_item_purchases",
        "bought_main_item", "bought_high_value_item",
        f"topup_amount_next_{frame.label_days}d", f"topup_count_next_{frame.label_days}d",
    ]


def write(table, path):
    # Counts and sums come back as floats after the outer join's fillna; give integer columns
    # their integer form again so that the file reads like playsight's.
    for name in table.columns:
        column = table[name]
        if column.dtype.kind == "f" and not is_decimal_feature(name) \
                and np.array_equal(column, np.floor(column)):
            table[name] = column.astype(np.int64)
    table.to_csv(path, index=False)


def is_decimal_feature(name):
    return name.startswith(("play_minutes_", "mean_"))


def main(argv):
    args = parse_args(argv)
    frame = Frame(args.cutoff, args.window_days, args.label_days)
    write(features(args.logdir, frame), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
