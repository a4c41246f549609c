#!/usr/bin/python3
"""Compares two per-player feature tables: joins them on player_id (as text) and checks every
column that both share, numbers within a tolerance (|a - b| <= 1e-6, or <= 1e-6 relative to the
larger magnitude), anything else as exact text.

usage: /usr/bin/python3 bench/compare_features.py A.csv B.csv [--examples 5]

Prints each mismatch (player, column, both values; at most --examples per column, with the count
of the rest) and each player present in one file only. Exit status: 0 when the tables agree,
1 on any mismatch or one-sided player, 2 when a file cannot be read or has no player_id column or
the files share no feature column.
"""
import argparse
import sys

import numpy as np
import pandas as pd

ABSOLUTE_TOLERANCE = 1e-6
RELATIVE_TOLERANCE = 1e-6
KEY = "player_id"


def fail_input(message):
    print(f"compare_features: {message}", file=sys.stderr)
    sys.exit(2)


def read_table(path):
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        fail_input(f"cannot read {path}: {error}")
    if KEY not in table.columns:
        fail_input(f"{path} has no {KEY} column")
    duplicated = table[KEY][table[KEY].duplicated()]
    if len(duplicated):
        fail_input(f"{path}: player_id {duplicated.iloc[0]!r} appears more than once"
                   f" ({len(duplicated)} repeated rows)")
    return table


def values_agree(a, b):
    """Element-wise agreement of two text columns: equal text, or numbers within tolerance."""
    same_text = a.to_numpy() == b.to_numpy()
    x = pd.to_numeric(a, errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(b, errors="coerce").to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        difference = np.abs(x - y)
        scale = np.maximum(np.abs(x), np.abs(y))
        close = (difference <= ABSOLUTE_TOLERANCE) | (difference <= RELATIVE_TOLERANCE * scale)
    both_nan = np.isnan(x) & np.isnan(y) & (a.str.lower().isin(["nan"]).to_numpy()
                                            & b.str.lower().isin(["nan"]).to_numpy())
    return same_text | close | both_nan


def report_one_sided(name, ids, limit):
    print(f"  {len(ids)} player(s) only in {name}: " + ", ".join(ids[:limit])
          + (" ..." if len(ids) > limit else ""))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--examples", type=int, default=5, help="mismatches shown per column")
    args = parser.parse_args(argv)

    a, b = read_table(args.a), read_table(args.b)
    shared = [c for c in a.columns if c in b.columns and c != KEY]
    if not shared:
        fail_input(f"{args.a} and {args.b} share no feature column")
    only_a = [c for c in a.columns if c not in b.columns]
    only_b = [c for c in b.columns if c not in a.columns]

    joined = a[[KEY] + shared].merge(b[[KEY] + shared], on=KEY, how="outer", suffixes=("@a", "@b"),
                                     indicator=True)
    failed = False
    print(f"compare_features: {args.a} ({len(a)} players) vs {args.b} ({len(b)} players), "
          f"{len(shared)} shared columns")
    if only_a or only_b:
        print(f"  not compared: {len(only_a)} columns only in A, {len(only_b)} only in B"
              + (f" (B has {', '.join(only_b[:5])}{' ...' if len(only_b) > 5 else ''})"
                 if only_b else ""))
    for side, name in (("left_only", args.a), ("right_only", args.b)):
        ids = joined.loc[joined["_merge"] == side, KEY].tolist()
        if ids:
            failed = True
            report_one_sided(name, ids, args.examples)

    both = joined[joined["_merge"] == "both"]
    mismatched_columns = 0
    for column in shared:
        left, right = both[column + "@a"], both[column + "@b"]
        bad = ~values_agree(left, right)
        count = int(bad.sum())
        if not count:
            continue
        failed = True
        mismatched_columns += 1
        print(f"  {column}: {count} player(s) differ")
        for player, x, y in zip(both[KEY][bad][:args.examples], left[bad][:args.examples],
                                right[bad][:args.examples]):
            print(f"    player {player}: A={x!r} B={y!r}")
        if count > args.examples:
            print(f"    ... and {count - args.examples} more")

    if failed:
        print(f"compare_features: MISMATCH ({mismatched_columns} of {len(shared)} columns differ)")
        return 1
    print(f"compare_features: all {len(both)} players agree on all {len(shared)} shared columns")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
