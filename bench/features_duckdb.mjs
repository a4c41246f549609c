#!/usr/bin/env node
// The DuckDB peer of `playsight features`: the same per-player features as playsight's
// --no-item-groups output, computed by ONE SQL query that reads the log CSVs directly, aggregates
// each event file per player with filtered aggregates, joins the results onto the players and
// writes them with COPY ... TO. This is how a data engineer would do it in DuckDB.
//
// usage: node bench/features_duckdb.mjs LOGDIR --cutoff YYYY-MM-DD --out OUT.csv
//            [--window-days 90] [--label-days 30] [--threads 2] [--print-sql]
//
// Definitions (C = the cutoff date at 00:00:00, W = window days, H = label days) are those of
// bench/features_pandas.py: observation events C - W days <= t < C, window w in (7, 30, 90) with
// w <= W, label events C <= t < C + H days, players with signup_date < C in file order.
// player_id is read as text (VARCHAR) everywhere, so ids compare and print exactly as written.
import { DuckDBInstance } from '@duckdb/node-api';
import path from 'node:path';
import process from 'node:process';

const ALL_WINDOWS = [7, 30, 90];

function usage(message) {
  if (message) console.error(`features_duckdb: ${message}`);
  console.error(
    'usage: node bench/features_duckdb.mjs LOGDIR --cutoff YYYY-MM-DD --out OUT.csv ' +
      '[--window-days 90] [--label-days 30] [--threads 2] [--print-sql]',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const options = { windowDays: 90, labelDays: 30, threads: 2, printSql: false };
  const positional = [];
  const takeInteger = (name, value) => {
    if (!/^[1-9][0-9]*$/.test(value ?? '')) usage(`${name} needs a positive integer`);
    return Number(value);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--cutoff') options.cutoff = argv[++i];
    else if (arg === '--out') options.out = argv[++i];
    else if (arg === '--window-days') options.windowDays = takeInteger(arg, argv[++i]);
    else if (arg === '--label-days') options.labelDays = takeInteger(arg, argv[++i]);
    else if (arg === '--threads') options.threads = takeInteger(arg, argv[++i]);
    else if (arg === '--print-sql') options.printSql = true;
    else if (arg.startsWith('--')) usage(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length !== 1) usage('needs exactly one LOGDIR');
  if (!options.out) usage('needs --out');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.cutoff ?? '')) usage('needs --cutoff YYYY-MM-DD');
  options.logdir = positional[0];
  return options;
}

const quote = (text) => `'${String(text).replaceAll("'", "''")}'`;

// read_csv of one log file with the types that matter pinned by column name (the files' columns
// may come in any order); everything else is left to DuckDB's sniffer.
function readCsv(logdir, fileName, types) {
  const typeList = Object.entries(types)
    .map(([column, type]) => `${quote(column)}: ${quote(type)}`)
    .join(', ');
  return `read_csv(${quote(path.join(logdir, fileName))}, header = true, types = {${typeList}})`;
}

function featureQuery({ logdir, cutoff, windowDays, labelDays }) {
  const windows = ALL_WINDOWS.filter((w) => w <= windowDays);
  const C = `TIMESTAMP ${quote(`${cutoff} 00:00:00`)}`;
  const since = (w) => `${C} - INTERVAL ${w} DAY`;
  const observationStart = since(windowDays);
  const labelEnd = `${C} + INTERVAL ${labelDays} DAY`;
  const perWindow = (make) => windows.map(make).join(',\n      ');
  // Calendar days from the latest event's day to the cutoff (1 = the day before); W + 1 if none.
  const daysSince = (latest) => `coalesce(${C}::DATE - CAST(${latest} AS DATE), ${windowDays + 1})`;
  const labelName = `next_${labelDays}d`;

  const activeDayAggregates = perWindow(
    (w) => `count(*) FILTER (WHERE day >= ${since(w)}) AS active_days_last_${w}d`,
  );
  const visitDayAggregates = perWindow(
    (w) => `count(*) FILTER (WHERE day >= ${since(w)}) AS shop_visit_days_last_${w}d`,
  );

  // Distinct days are counted from (player, day) pairs aggregated once, which is cheaper in DuckDB
  // than several count(DISTINCT ...) FILTER aggregates over the raw events.
  return `
WITH
players AS (
  SELECT player_id, gender, age, signup_date, ordinality AS file_order
  FROM ${readCsv(logdir, 'players.csv', { player_id: 'VARCHAR', gender: 'VARCHAR', signup_date: 'DATE' })}
       WITH ORDINALITY
  WHERE signup_date < ${C}::DATE
),
items AS (
  SELECT item_id, price_krw AS list_price_krw, is_main, is_high_value
  FROM ${readCsv(logdir, 'items.csv', { item_id: 'VARCHAR', is_main: 'INTEGER', is_high_value: 'INTEGER' })}
),
login_days AS (
  SELECT player_id, login_time::DATE AS day, count(*) AS logins, sum(play_seconds) AS play_seconds,
         max(login_time) AS latest
  FROM ${readCsv(logdir, 'logins.csv', { player_id: 'VARCHAR', login_time: 'TIMESTAMP' })}
  WHERE login_time >= ${observationStart} AND login_time < ${C}
  GROUP BY ALL
),
logins AS (
  SELECT player_id,
      ${perWindow((w) => `coalesce(sum(logins) FILTER (WHERE day >= ${since(w)}), 0) AS login_count_last_${w}d`)},
      ${perWindow((w) => `coalesce(sum(play_seconds) FILTER (WHERE day >= ${since(w)}), 0) / 60.0 AS play_minutes_last_${w}d`)},
      ${activeDayAggregates},
      max(latest) AS latest_login
  FROM login_days
  GROUP BY player_id
),
topups AS (
  SELECT player_id,
      ${perWindow((w) => `count(*) FILTER (WHERE t >= ${since(w)} AND t < ${C}) AS topup_count_last_${w}d`)},
      ${perWindow((w) => `coalesce(sum(amount_krw) FILTER (WHERE t >= ${since(w)} AND t < ${C}), 0) AS topup_amount_last_${w}d`)},
      max(t) FILTER (WHERE t < ${C}) AS latest_topup,
      coalesce(sum(amount_krw) FILTER (WHERE t >= ${C}), 0) AS topup_amount_${labelName},
      count(*) FILTER (WHERE t >= ${C}) AS topup_count_${labelName}
  FROM (SELECT player_id, topup_time AS t, amount_krw
        FROM ${readCsv(logdir, 'topups.csv', { player_id: 'VARCHAR', topup_time: 'TIMESTAMP' })})
  WHERE t >= ${observationStart} AND t < ${labelEnd}
  GROUP BY player_id
),
purchases AS (
  SELECT player_id,
      ${perWindow((w) => `count(*) FILTER (WHERE t >= ${since(w)}) AS purchase_count_last_${w}d`)},
      ${perWindow((w) => `coalesce(sum(price_krw) FILTER (WHERE t >= ${since(w)}), 0) AS purchase_amount_last_${w}d`)},
      coalesce(avg(list_price_krw), 0) AS mean_list_price_bought,
      coalesce(avg(price_krw), 0) AS mean_price_paid,
      count(*) FILTER (WHERE is_main = 1) AS main_item_purchases,
      count(*) FILTER (WHERE is_high_value = 1) AS high_value_item_purchases
  FROM (SELECT player_id, purchase_time AS t, item_id, price_krw
        FROM ${readCsv(logdir, 'purchases.csv', { player_id: 'VARCHAR', purchase_time: 'TIMESTAMP', item_id: 'VARCHAR' })})
       LEFT JOIN items USING (item_id)
  WHERE t >= ${observationStart} AND t < ${C}
  GROUP BY player_id
),
visit_days AS (
  SELECT player_id, visit_time::DATE AS day, count(*) AS visits
  FROM ${readCsv(logdir, 'shop_visits.csv', { player_id: 'VARCHAR', visit_time: 'TIMESTAMP' })}
  WHERE visit_time >= ${observationStart} AND visit_time < ${C}
  GROUP BY ALL
),
visits AS (
  SELECT player_id,
      ${perWindow((w) => `coalesce(sum(visits) FILTER (WHERE day >= ${since(w)}), 0) AS shop_visit_count_last_${w}d`)},
      ${visitDayAggregates}
  FROM visit_days
  GROUP BY player_id
)
SELECT
  p.player_id,
  (p.gender = 'F')::INTEGER AS is_female,
  (p.gender = 'M')::INTEGER AS is_male,
  p.age,
  ${C}::DATE - p.signup_date AS days_since_signup,
  ${perWindow((w) => `coalesce(l.login_count_last_${w}d, 0) AS login_count_last_${w}d`)},
  ${perWindow((w) => `coalesce(l.play_minutes_last_${w}d, 0) AS play_minutes_last_${w}d`)},
  ${perWindow((w) => `coalesce(l.active_days_last_${w}d, 0) AS active_days_last_${w}d`)},
  ${daysSince('l.latest_login')} AS days_since_last_login,
  ${perWindow((w) => `coalesce(t.topup_count_last_${w}d, 0) AS topup_count_last_${w}d`)},
  ${perWindow((w) => `coalesce(t.topup_amount_last_${w}d, 0) AS topup_amount_last_${w}d`)},
  ${daysSince('t.latest_topup')} AS days_since_last_topup,
  ${perWindow((w) => `coalesce(b.purchase_count_last_${w}d, 0) AS purchase_count_last_${w}d`)},
  ${perWindow((w) => `coalesce(b.purchase_amount_last_${w}d, 0) AS purchase_amount_last_${w}d`)},
  ${perWindow((w) => `coalesce(v.shop_visit_count_last_${w}d, 0) AS shop_visit_count_last_${w}d`)},
  ${perWindow((w) => `coalesce(v.shop_visit_days_last_${w}d, 0) AS shop_visit_days_last_${w}d`)},
  coalesce(b.mean_list_price_bought, 0) AS mean_list_price_bought,
  coalesce(b.mean_price_paid, 0) AS mean_price_paid,
  coalesce(b.main_item_purchases, 0) AS main_item_purchases,
  coalesce(b.high_value_item_purchases, 0) AS high_value_item_purchases,
  (coalesce(b.main_item_purchases, 0) > 0)::INTEGER AS bought_main_item,
  (coalesce(b.high_value_item_purchases, 0) > 0)::INTEGER AS bought_high_value_item,
  coalesce(t.topup_amount_${labelName}, 0) AS topup_amount_${labelName},
  coalesce(t.topup_count_${labelName}, 0) AS topup_count_${labelName}
FROM players p
  LEFT JOIN logins l USING (player_id)
  LEFT JOIN topups t USING (player_id)
  LEFT JOIN purchases b USING (player_id)
  LEFT JOIN visits v USING (player_id)
ORDER BY p.file_order`;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const query = featureQuery(options);
  const copy = `COPY (${query}\n) TO ${quote(options.out)} (FORMAT csv, HEADER true)`;
  if (options.printSql) console.log(copy);
  const instance = await DuckDBInstance.create(':memory:', { threads: String(options.threads) });
  const connection = await instance.connect();
  try {
    await connection.run(copy);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

main().catch((error) => {
  console.error(`features_duckdb: ${error.message}`);
  process.exit(1);
});
