#include "spend/report/html_assets.h"

namespace playsight::spend::report {

const std::string_view kReportStyle = R"css(
:root { --ink: #1d2330; --muted: #5f6b7a; --line: #dde2e8; --best: #dff3e4; --best-ink: #0f5c2e;
        --card: #ffffff; --page: #f6f7f9; --accent: #2458a6; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--page); color: var(--ink);
       font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
main { max-width: 1600px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; }
p, li { max-width: 920px; }
.context { color: var(--muted); margin: 0 0 16px; }
.facts { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0 20px; padding: 0; list-style: none; }
.facts li { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; }
.facts b { display: block; font-size: 18px; font-variant-numeric: tabular-nums; }
.facts span { color: var(--muted); font-size: 12px; }
.how { background: #eef3fb; border-left: 4px solid var(--accent); padding: 10px 16px; border-radius: 4px; }
.how ul { margin: 4px 0; padding-left: 20px; }
.table-wrap { overflow-x: auto; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
th { position: sticky; top: 0; background: #fafbfc; text-align: right; font-weight: 600; cursor: pointer;
     user-select: none; font-size: 12px; white-space: normal; vertical-align: bottom; }
th.text, td.text { text-align: left; }
th[aria-sort="ascending"]::after { content: " \25B2"; font-size: 10px; }
th[aria-sort="descending"]::after { content: " \25BC"; font-size: 10px; }
td { text-align: right; }
td.alias b { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-weight: 600; }
td.alias div { color: var(--muted); font-size: 12px; white-space: normal; min-width: 220px; max-width: 280px; }
td.alias .kind { margin-left: 6px; vertical-align: 1px; }
tr.group-start td { border-top: 2px solid #b8c2cf; }
td.best { background: var(--best); color: var(--best-ink); font-weight: 700; }
td.na { color: #a0a8b3; }
.kind { display: inline-block; font-size: 11px; padding: 1px 7px; border-radius: 9px; font-weight: 600; }
.kind-team { background: #e6eefb; color: #2458a6; }
.kind-new { background: #e5f5ea; color: #1d7a3e; }
.kind-reference { background: #eceef1; color: #4a5462; }
.definitions { color: var(--muted); font-size: 12px; columns: 2 360px; margin-top: 10px; }
.definitions dt { font-weight: 600; color: var(--ink); }
.definitions dd { margin: 0 0 6px; break-before: avoid; }
.chart { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
.chart.wide { height: 560px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 12px; margin-top: 12px; }
.grid .chart { height: 280px; display: flex; flex-direction: column; }
.grid .chart h3 { font-size: 13px; margin: 0 0 4px; font-family: ui-monospace, Menlo, Consolas, monospace; }
.grid .chart .plot { position: relative; flex: 1; min-height: 0; }
.chart.wide .plot { position: relative; height: 100%; }
.notes li { color: var(--muted); }
footer { color: var(--muted); font-size: 12px; margin-top: 40px; border-top: 1px solid var(--line); padding-top: 10px; }
noscript { display: block; color: #9a3412; margin: 8px 0; }
)css";

const std::string_view kReportScript = R"js(
(function () {
  'use strict';
  const report = JSON.parse(document.getElementById('report-data').textContent);
  const rows = report.rows;
  const currency = report.context.currency || '';
  const palette = ['#2458a6', '#e8710a', '#1d7a3e', '#c5221f', '#7b3fb2', '#8c564b', '#d4458f',
                   '#0f8b8d', '#a68b00', '#4a5462', '#5b8def', '#f4a259', '#59b36b', '#e06666',
                   '#a17fd6', '#3a3a3a'];
  const color = (i) => palette[i % palette.length];
  const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  const money = (v) => (v === null || v === undefined ? 'n/a' : whole.format(v) + ' ' + currency);
  const lg = (v) => Math.log10(1 + Math.max(0, v));
  const TICKS = [0, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10];
  const short = (t) => (t >= 1e9 ? t / 1e9 + 'B' : t >= 1e6 ? t / 1e6 + 'M' : t >= 1e3 ? t / 1e3 + 'k' : String(t));

  // A linear axis over log10(1 + amount), ticked and labelled at round amounts.
  function amountAxis(title, maxAmount, minAmount) {
    const top = TICKS.find((t) => t >= maxAmount) || maxAmount;
    const bottom = TICKS.filter((t) => t <= (minAmount || 0)).pop() || 0;
    return {
      type: 'linear', min: lg(bottom), max: lg(top),
      title: { display: true, text: title },
      afterBuildTicks: (axis) => { axis.ticks = TICKS.filter((t) => t >= bottom && t <= top).map((t) => ({ value: lg(t) })); },
      ticks: { callback: (v) => short(Math.round(Math.pow(10, v) - 1)) },
      grid: { color: '#edf0f3' },
    };
  }
  const dashed = (row) => (row.kind === 'reference' ? [6, 4] : []);
  const maxOf = (values) => values.reduce((m, v) => (v !== null && v > m ? v : m), 0);

  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#3b4452';

  function card(container, title) {
    const box = document.createElement('div');
    box.className = 'chart';
    const heading = document.createElement('h3');
    heading.textContent = title;
    const plot = document.createElement('div');
    plot.className = 'plot';
    const canvas = document.createElement('canvas');
    plot.appendChild(canvas);
    box.append(heading, plot);
    container.appendChild(box);
    return canvas;
  }
  const diagonal = (top) => ({
    label: 'perfect (predicted = actual)', data: [{ x: 0, y: 0 }, { x: lg(top), y: lg(top) }],
    showLine: true, borderColor: '#9aa3ad', borderDash: [3, 3], borderWidth: 1, pointRadius: 0,
  });

  // 1. Calibration, every model: one point per decile of predictions.
  let calibrationTop = 0, lowestActual = Infinity;
  rows.forEach((row) => row.metrics.calibration.forEach((b) => {
    calibrationTop = Math.max(calibrationTop, b.mean_actual || 0, b.mean_predicted || 0);
    lowestActual = Math.min(lowestActual, b.mean_actual || 0);
  }));
  const calibrationSets = rows.map((row, i) => ({
    label: row.alias,
    data: row.metrics.calibration.map((b) => ({ x: lg(b.mean_actual), y: lg(b.mean_predicted), b })),
    showLine: true, borderColor: color(i), backgroundColor: color(i), borderDash: dashed(row),
    borderWidth: row.kind === 'new' ? 2.5 : 1.5, pointRadius: 3,
  }));
  new Chart(document.getElementById('calibration-overlay'), {
    type: 'scatter',
    data: { datasets: [diagonal(calibrationTop)].concat(calibrationSets) },
    options: {
      scales: {
        x: amountAxis('mean actual top-up per decile (' + currency + ', log scale)', calibrationTop, lowestActual),
        y: amountAxis('mean predicted top-up (' + currency + ', log scale)', calibrationTop),
      },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 14 } },
        tooltip: { callbacks: { label: (c) => (c.raw.b ? c.dataset.label + ', decile ' + c.raw.b.bucket + ': predicted ' +
          money(c.raw.b.mean_predicted) + ', actual ' + money(c.raw.b.mean_actual) : c.dataset.label) } },
      },
    },
  });

  // 2. Calibration per model: mean actual and mean predicted per decile.
  const calibrationGrid = document.getElementById('calibration-grid');
  rows.forEach((row, i) => {
    const buckets = row.metrics.calibration;
    const raw = { actual: buckets.map((b) => b.mean_actual), predicted: buckets.map((b) => b.mean_predicted) };
    new Chart(card(calibrationGrid, row.alias), {
      type: 'bar',
      data: {
        labels: buckets.map((b) => 'D' + b.bucket),
        datasets: [
          { label: 'mean actual', data: raw.actual.map(lg), raw: raw.actual, backgroundColor: '#c3cad3' },
          { label: 'mean predicted', data: raw.predicted.map(lg), raw: raw.predicted, backgroundColor: color(i) },
        ],
      },
      options: {
        scales: {
          x: { title: { display: true, text: 'decile of predicted top-up (D1 lowest)' }, grid: { display: false } },
          y: amountAxis(currency + ' per player (log scale)', calibrationTop),
        },
        plugins: {
          legend: { labels: { boxWidth: 12 } },
          tooltip: { callbacks: { label: (c) => c.dataset.label + ': ' + money(c.dataset.raw[c.dataIndex]) } },
        },
      },
    });
  });

  // 3. Mean prediction by actual-spend bucket, every model against the actual mean.
  const first = rows.length ? rows[0].metrics.by_actual_spend : [];
  const bucketLabel = (b) => (b.upper === 0 ? 'nothing' : b.upper === null ? '≥ ' + short(b.lower) :
    b.lower === 0 ? '< ' + short(b.upper) : short(b.lower) + '–' + short(b.upper));
  let spendTop = 0;
  rows.forEach((row) => row.metrics.by_actual_spend.forEach((b) => {
    spendTop = Math.max(spendTop, b.mean_actual || 0, b.mean_predicted || 0);
  }));
  const spendSets = [{
    label: 'actual mean', data: first.map((b) => (b.mean_actual === null ? null : lg(b.mean_actual))),
    raw: first.map((b) => b.mean_actual), borderColor: '#111', backgroundColor: '#111', borderWidth: 3, pointRadius: 4,
  }].concat(rows.map((row, i) => ({
    label: row.alias, data: row.metrics.by_actual_spend.map((b) => (b.mean_predicted === null ? null : lg(b.mean_predicted))),
    raw: row.metrics.by_actual_spend.map((b) => b.mean_predicted), borderColor: color(i), backgroundColor: color(i),
    borderDash: dashed(row), borderWidth: row.kind === 'new' ? 2.5 : 1.5, pointRadius: 2,
  })));
  new Chart(document.getElementById('by-actual-spend'), {
    type: 'line',
    data: { labels: first.map((b) => [bucketLabel(b), whole.format(b.players) + ' players']), datasets: spendSets },
    options: {
      spanGaps: false,
      scales: {
        x: { offset: true, title: { display: true, text: 'actual top-up in the horizon (' + currency + ')' } },
        y: amountAxis('mean predicted top-up (' + currency + ', log scale)', spendTop),
      },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 14 } },
        tooltip: { callbacks: { label: (c) => c.dataset.label + ': ' + money(c.dataset.raw[c.dataIndex]) } },
      },
    },
  });

  // 4. Predicted vs actual per player, on the same sampled players for every model.
  let sampleTop = 0;
  rows.forEach((row) => { sampleTop = Math.max(sampleTop, maxOf(row.sample.actual), maxOf(row.sample.predicted)); });
  const scatterGrid = document.getElementById('scatter-grid');
  rows.forEach((row, i) => {
    const points = row.sample.actual.map((a, k) => ({ x: lg(a), y: lg(row.sample.predicted[k]), a, p: row.sample.predicted[k] }));
    new Chart(card(scatterGrid, row.alias + ' (' + points.length + ' players)'), {
      type: 'scatter',
      data: { datasets: [diagonal(sampleTop), { label: row.alias, data: points, pointRadius: 1.6,
        backgroundColor: color(i) + '66', borderWidth: 0 }] },
      options: {
        scales: {
          x: amountAxis('actual (' + currency + ', log scale)', sampleTop),
          y: amountAxis('predicted (' + currency + ', log scale)', sampleTop),
        },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (c) => (c.raw.a === undefined ? c.dataset.label :
            'actual ' + money(c.raw.a) + ', predicted ' + money(c.raw.p)) } },
        },
      },
    });
  });

  // The table sorts by a column when its head is clicked (again: the other way).
  const table = document.getElementById('comparison');
  table.querySelectorAll('th').forEach((th, column) => {
    th.addEventListener('click', () => {
      const ascending = th.getAttribute('aria-sort') !== 'ascending';
      table.querySelectorAll('th').forEach((other) => other.removeAttribute('aria-sort'));
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      const body = table.tBodies[0];
      const key = (tr) => tr.cells[column].dataset.value;
      const sorted = Array.from(body.rows).sort((a, b) => {
        const x = key(a), y = key(b);
        if (th.classList.contains('text')) return ascending ? x.localeCompare(y) : y.localeCompare(x);
        const u = x === '' ? NaN : Number(x), v = y === '' ? NaN : Number(y);
        if (isNaN(u) || isNaN(v)) return isNaN(u) - isNaN(v);
        return ascending ? u - v : v - u;
      });
      sorted.forEach((tr) => { tr.classList.remove('group-start'); body.appendChild(tr); });
    });
  });
})();
)js";

}  // namespace playsight::spend::report
