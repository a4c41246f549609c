#include "experiment/report/effect_assets.h"

namespace playsight::experiment {

const std::string_view kEffectStyle = R"css(
:root { --ink: #1d2330; --muted: #5f6b7a; --line: #dde2e8; --card: #fff; --page: #f6f7f9;
        --accent: #2458a6; --clear: #dff3e4; --clear-ink: #0f5c2e; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--page); color: var(--ink);
       font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
main { max-width: 1400px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 36px 0 6px; }
h3 { font-size: 14px; margin: 18px 0 6px; }
p, li { max-width: 960px; }
.context { color: var(--muted); margin: 0 0 12px; }
.how { background: #eef3fb; border-left: 4px solid var(--accent); padding: 10px 16px; border-radius: 4px; }
.how ul { margin: 4px 0; padding-left: 20px; }
.table-wrap { overflow-x: auto; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 9px; border-bottom: 1px solid var(--line); white-space: nowrap; text-align: right; }
th { background: #fafbfc; font-size: 12px; font-weight: 600; }
th.text, td.text { text-align: left; }
tr.group-start td { border-top: 2px solid #b8c2cf; }
td.clear { background: var(--clear); color: var(--clear-ink); font-weight: 700; }
.grid.two { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 12px; margin-top: 12px; }
.chart { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px;
         height: 340px; display: flex; flex-direction: column; margin-top: 12px; }
.chart.tall { height: 560px; }
.chart h3 { margin: 0 0 6px; font-size: 13px; }
.chart .plot { position: relative; flex: 1; min-height: 0; }
.note, .notes li { color: var(--muted); }
footer { color: var(--muted); font-size: 12px; margin-top: 40px; border-top: 1px solid var(--line); padding-top: 10px; }
noscript { display: block; color: #9a3412; margin: 8px 0; }
)css";

const std::string_view kEffectScript = R"js(
(function () {
  'use strict';
  const report = JSON.parse(document.getElementById('report-data').textContent);
  const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  const krw = (v) => (v === null || v === undefined ? 'n/a' : whole.format(v) + ' KRW');
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#3b4452';
  const zeroLine = { id: 'zero', color: '#9aa3ad' };
  // Horizontal intervals: a floating bar per row from ci_low to ci_high, a point at the estimate,
  // and a diamond at the true effect when the generator knows it.
  function intervalChart(canvas, labels, estimates, truths) {
    const datasets = [
      { type: 'bar', label: '95% interval', data: estimates.map((e) => (e ? [e.ci_low, e.ci_high] : null)),
        backgroundColor: 'rgba(36, 88, 166, 0.25)', borderColor: '#2458a6', borderWidth: 1, barPercentage: 0.5 },
      { type: 'line', label: 'estimate', data: estimates.map((e, i) => (e ? { x: e.estimate, y: labels[i] } : null)),
        showLine: false, pointRadius: 4, backgroundColor: '#2458a6', borderColor: '#2458a6' },
    ];
    if (truths.some((t) => t !== null && t !== undefined)) {
      datasets.push({ type: 'line', label: 'true effect (generator)', showLine: false, pointStyle: 'rectRot', pointRadius: 6,
        data: truths.map((t, i) => (t === null || t === undefined ? null : { x: t, y: labels[i] })),
        backgroundColor: '#e8710a', borderColor: '#e8710a' });
    }
    new Chart(canvas, {
      type: 'bar',
      data: { labels, datasets },
      options: {
        indexAxis: 'y',
        scales: { x: { title: { display: true, text: 'KRW per player' }, grid: { color: (c) => (c.tick.value === 0 ? '#5f6b7a' : '#edf0f3') } },
                  y: { grid: { display: false } } },
        plugins: { tooltip: { callbacks: { label: (c) => {
          const e = estimates[c.dataIndex];
          if (c.datasetIndex === 2) return 'true effect: ' + krw(truths[c.dataIndex]);
          return e ? krw(e.estimate) + ' [' + krw(e.ci_low) + ', ' + krw(e.ci_high) + '], ' +
            e.treatment_players + ' nudged / ' + e.control_players + ' control' : 'not estimable';
        } } } },
      },
    });
  }
  report.groups.forEach((group, g) => {
    const amount = group.outcomes.find((o) => o.outcome === 'topup_amount');
    intervalChart(document.getElementById('methods-' + g), amount.absolute.map((e) => e.method), amount.absolute,
      amount.absolute.map(() => amount.true_effect));
    const segments = group.segments;
    intervalChart(document.getElementById('segments-' + g),
      segments.map((s) => s.segment + ': ' + s.level + ' (' + s.treatment_players + ' / ' + s.control_players + ')'),
      segments.map((s) => s.amount_cupac || s.amount_welch), segments.map((s) => s.true_effect));
    const h = group.response_histogram;
    if (h && h.edges) {
      const labels = h.nudged.map((_, i) => whole.format((h.edges[i] + h.edges[i + 1]) / 2));
      new Chart(document.getElementById('responses-' + g), {
        type: 'bar',
        data: { labels, datasets: [
          { label: group.group + ' (nudged)', data: h.nudged.map((v) => 100 * v), backgroundColor: 'rgba(36, 88, 166, 0.7)' },
          { label: report.control_group + ' (placebo)', data: h.control.map((v) => 100 * v), backgroundColor: 'rgba(150, 160, 172, 0.6)' },
        ] },
        options: {
          scales: { x: { title: { display: true, text: 'response: actual - counterfactual (KRW); 1st to 99th percentile' } },
                    y: { title: { display: true, text: '% of players' } } },
          plugins: { tooltip: { callbacks: { label: (c) => c.dataset.label + ': ' + c.raw.toFixed(2) + '%' } } },
        },
      });
    }
    const u = group.uplift;
    const qiniCanvas = document.getElementById('qini-' + g);
    if (qiniCanvas && u && u.models) {
      const colors = ['#2458a6', '#1d7a3e'];
      const line = (curve) => curve.share.map((s, i) => ({ x: 100 * s, y: curve.qini[i] }));
      const datasets = u.models.map((m, i) => ({ label: m.name.replace('_', '-') + ' (Qini ' + whole.format(m.qini_coefficient) + ')',
        data: line(m.curve), borderColor: colors[i % 2], backgroundColor: colors[i % 2], pointRadius: 0, borderWidth: 2 }));
      datasets.push({ label: 'random ranking', data: line(u.random_ranking.curve), borderColor: '#9aa3ad', borderDash: [4, 4], pointRadius: 0, borderWidth: 1.5 });
      if (u.true_effect_ranking) {
        datasets.push({ label: 'true effects (Qini ' + whole.format(u.true_effect_ranking.coefficient) + ')', data: line(u.true_effect_ranking),
          borderColor: '#e8710a', borderDash: [2, 2], pointRadius: 0, borderWidth: 1.5 });
      }
      new Chart(qiniCanvas, {
        type: 'line', data: { datasets },
        options: {
          parsing: false,
          scales: { x: { type: 'linear', min: 0, max: 100, title: { display: true, text: '% of held-out players targeted (best predicted uplift first)' } },
                    y: { title: { display: true, text: 'extra top-ups (KRW, cumulative)' } } },
          plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: { label: (c) => c.dataset.label + ': ' + krw(c.raw.y) } } },
        },
      });
    }
  });
})();
)js";

}  // namespace playsight::experiment
