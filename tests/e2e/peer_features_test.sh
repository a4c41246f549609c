#!/usr/bin/env bash
# End-to-end check that `playsight features` computes what the pandas peer computes: generates a
# small game log (2,000 players), runs both, and compares every shared column per player with
# bench/compare_features.py (counts exactly, decimals within 1e-6).
#   tests/e2e/peer_features_test.sh BUILD_DIR SOURCE_DIR
# Exit status: 0 when the outputs agree, 1 on any mismatch or failure, 77 (CTest SKIP_RETURN_CODE)
# when /usr/bin/python3 has no pandas.
set -euo pipefail

if (($# != 2)); then
  echo "usage: $0 BUILD_DIR SOURCE_DIR" >&2
  exit 2
fi
build_dir="$(cd "$1" && pwd)"
source_dir="$(cd "$2" && pwd)"
playsight="$build_dir/playsight"
python=/usr/bin/python3
cutoff=2026-10-01

if ! "$python" -c 'import pandas' 2>/dev/null; then
  echo "SKIP: $python has no pandas (Debian python3-pandas; scripts/setup installs it)"
  exit 77
fi
[[ -x "$playsight" ]] || { echo "FAIL: no playsight binary at $playsight" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/peer_features_test.XXXXXX")"
trap 'rm -rf "$work"' EXIT

"$playsight" generate --out "$work/logs" --players 2000 --seed 7 >"$work/generate.log" 2>&1 ||
  { cat "$work/generate.log" >&2; echo "FAIL: playsight generate" >&2; exit 1; }
"$playsight" features --logs "$work/logs" --cutoff "$cutoff" --out "$work/playsight.csv" \
  >"$work/features.log" 2>&1 ||
  { cat "$work/features.log" >&2; echo "FAIL: playsight features" >&2; exit 1; }
"$python" "$source_dir/bench/features_pandas.py" "$work/logs" --cutoff "$cutoff" \
  --out "$work/pandas.csv"

# A vacuous pass (no players) would prove nothing.
players=$(($(wc -l <"$work/pandas.csv") - 1))
if ((players < 1000)); then
  echo "FAIL: the pandas peer found only $players players before $cutoff" >&2
  exit 1
fi

"$python" "$source_dir/bench/compare_features.py" "$work/playsight.csv" "$work/pandas.csv"
