#!/usr/bin/env bash
# End-to-end test of the web console: the real `playsight serve` on a free loopback port with
# demo-like data, driven by Debian chromium (headless) through playwright-core (console_test.mjs).
#   tests/e2e/console_test.sh BUILD_DIR SOURCE_DIR
# The data is made once per build folder (BUILD_DIR/test-data/console-1/, under a file lock): a
# game of 20,000 players, its feature table, two trained models (mse_model, tweedie_model), and a
# reports folder with a nudge effect report, an audience report of 5 s of vtest.avi and a
# playtest session of Megamind.avi. Each run makes a fresh registry (the two models as versions 1
# and 2 of `spend`, production at 1) and keys (role deploy and role predict), serves them with a
# job runner (--jobs; jobs run as child processes of the service), and runs the browser script.
# Screenshots go to BUILD_DIR/e2e-screenshots/.
# Exit status 0 when every check passes, 1 otherwise. Missing chromium, node or playwright-core
# is a failure, not a skip: scripts/setup installs them.
set -euo pipefail

if (($# != 2)); then
  echo "usage: $0 BUILD_DIR SOURCE_DIR" >&2
  exit 2
fi
build_dir="$(cd "$1" && pwd)"
source_dir="$(cd "$2" && pwd)"
playsight="$build_dir/playsight"
videos=/usr/share/doc/opencv-doc/examples/data
fail() { echo "FAIL: $*" >&2; exit 1; }

[[ -x "$playsight" ]] || fail "no playsight binary at $playsight"
[[ -x /usr/bin/chromium ]] || fail "no /usr/bin/chromium (Debian chromium; scripts/setup installs it)"
command -v node >/dev/null || fail "no node (Debian nodejs; scripts/setup installs it)"
[[ -f "$source_dir/node_modules/playwright-core/package.json" ]] ||
  fail "no playwright-core in $source_dir/node_modules (scripts/setup runs npm ci)"
[[ -f "$videos/vtest.avi" && -f "$videos/Megamind.avi" ]] ||
  fail "no $videos/vtest.avi or Megamind.avi (Debian opencv-doc)"

# --- data, made once per build folder ---
data="$build_dir/test-data/console-1"
mkdir -p "$build_dir/test-data"
run() {  # run LOG_NAME COMMAND...: quiet unless it fails
  local log="$data/$1.log"
  shift
  "$@" >"$log" 2>&1 || { cat "$log" >&2; fail "$*"; }
}
(
  flock 9
  if [[ ! -f "$data/ready" ]]; then
    rm -rf "$data"
    mkdir -p "$data/reports"
    run generate "$playsight" generate --out "$data/logs" --players 20000 --seed 1
    run features "$playsight" features --logs "$data/logs" --out "$data/features.csv" --progress never
    run train_a "$playsight" train --features "$data/features.csv" --model mse_model --all-players \
      --out "$data/model_a"
    run train_b "$playsight" train --features "$data/features.csv" --model tweedie_model \
      --all-players --out "$data/model_b"
    # The effect's CUPAC model is trained on the month before the experiment (as scripts/demo does).
    cutoff="$(sed -n 's/.*"cutoff": "\([0-9-]*\)".*/\1/p' "$data/logs/manifest.json" | head -1)"
    pre_cutoff="$(date -u -d "$cutoff - 30 days" +%F)"
    run pre_features "$playsight" features --logs "$data/logs" --cutoff "$pre_cutoff" \
      --out "$data/pre/features.csv" --progress never
    run pre_train "$playsight" train --features "$data/pre/features.csv" --model mse_model \
      --all-players --out "$data/pre/model"
    run effect "$playsight" effect --logs "$data/logs" --model "$data/pre/model" \
      --item-projection "$data/pre/features.item_projection.json" --out "$data/reports/effect" \
      --progress never
    run audience "$playsight" audience "$videos/vtest.avi" --max-seconds 5 \
      --out "$data/reports/audience"
    run playtest "$playsight" playtest "$videos/Megamind.avi" --out "$data/reports/playtest"
    touch "$data/ready"
  fi
) 9>"$data.lock"

# --- this run: a registry, keys, a reports folder with a live analysis, the service ---
work="$(mktemp -d "${TMPDIR:-/tmp}/console_test.XXXXXX")"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
export PLAYSIGHT_REGISTRY="sqlite://$work/registry/registry.db" PLAYSIGHT_KEYS="$work/keys.json"
run_here() { "$@" >"$work/command.log" 2>&1 || { cat "$work/command.log" >&2; fail "$*"; }; }
run_here "$playsight" models register "$data/model_a" --name spend \
  --comment "mse_model (console test)"
run_here "$playsight" models register "$data/model_b" --name spend \
  --comment "tweedie_model (console test)"
run_here "$playsight" models deploy spend 1 --alias production \
  --comment "console test setup"
deploy_key="$("$playsight" serve keys add deployer --role deploy 2>/dev/null)"
read_key="$("$playsight" serve keys add reader --role predict 2>/dev/null)"

mkdir -p "$work/reports"
cp -r "$data/reports/effect" "$data/reports/audience" "$data/reports/playtest" "$work/reports/"
# A stream being analysed: only seconds.jsonl so far; the browser script appends to it.
mkdir -p "$work/reports/stream"
head -n 2 "$data/reports/audience/seconds.jsonl" >"$work/reports/stream/seconds.jsonl"

"$playsight" serve --port 0 --reference "$data/features.csv" \
  --reports "$work/reports" --web "$source_dir/web" --monitoring-interval 1 \
  --jobs "$work/jobs" >"$work/serve.log" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 1 1200); do  # bounded by the line it prints; 120 s on a loaded machine
  # (the shell may not have created serve.log yet)
  url="$(sed -n 's|^playsight serve: listening on \(http://[^ ]*\)$|\1|p' "$work/serve.log" 2>/dev/null || true)"
  [[ -n "$url" ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; fail "playsight serve exited"; }
  sleep 0.1
done
[[ -n "$url" ]] || { cat "$work/serve.log" >&2; fail "playsight serve did not start in 120 s"; }

mkdir -p "$build_dir/e2e-screenshots"
NODE_PATH="$source_dir/node_modules" node "$source_dir/tests/e2e/console_test.mjs" \
  --url "$url" --deploy-key "$deploy_key" --read-key "$read_key" \
  --features "$data/features.csv" --stream "$work/reports/stream/seconds.jsonl" \
  --stream-source "$data/reports/audience/seconds.jsonl" \
  --screenshots "$build_dir/e2e-screenshots" ||
  { echo "--- serve log ---" >&2; tail -n 30 "$work/serve.log" >&2; fail "console_test.mjs"; }
echo "PASS: the console's pages, deploy and rollback by clicking, the read-only key's limits and jobs"
