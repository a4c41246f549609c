// Experiments: the nudge effect reports (`playsight effect`): per group the effect on each
// outcome by method with its interval (floating bars), per segment, the per-player response
// distribution against control, and the Qini curves of the uplift models.
import { api } from '../app.js';
import { el, empty, number, palette, panel, percent, reportRenderer, table } from '../ui.js';

// A floating bar per estimate: [ci_low, ci_high], the estimate as a point.
function intervalChart(charts, label, rows, name) {
  return charts.add(label, {
    type: 'bar',
    data: {
      labels: rows.map(name),
      datasets: [
        { type: 'bar', label: 'interval', data: rows.map((r) => [r.ci_low, r.ci_high]), backgroundColor: 'rgba(31,95,191,.35)', borderColor: palette[0], borderWidth: 1 },
        { type: 'scatter', label: 'estimate', data: rows.map((r, i) => ({ x: name(r, i), y: r.estimate })), backgroundColor: palette[1], pointRadius: 5 },
      ],
    },
    options: { scales: { y: { title: { display: true, text: 'effect per player' } } } },
  });
}

function outcomePanel(charts, group, outcome) {
  const rows = outcome.absolute;
  const title = `${group.group}: ${outcome.outcome}${outcome.unit ? ` (${outcome.unit})` : ''}`;
  const truth = outcome.true_effect !== undefined && outcome.true_effect !== null ? ` · true effect ${number(outcome.true_effect)}` : '';
  return panel(title,
    el('p', { class: 'note' }, `${(rows[0] && rows[0].level ? rows[0].level * 100 : 95).toFixed(0)} % intervals by method${truth}`),
    intervalChart(charts, `Effect of ${group.group} on ${outcome.outcome} by method`, rows, (r) => r.method),
    table([
      { label: 'Method', value: (r) => r.method },
      { label: 'Estimate', value: (r) => number(r.estimate), num: true },
      { label: 'Interval', value: (r) => `${number(r.ci_low)} … ${number(r.ci_high)}`, num: true },
      { label: 'p', value: (r) => number(r.p_value, 4), num: true },
      { label: 'Variance cut', value: (r) => percent(r.variance_reduction), num: true },
    ], rows));
}

function segmentPanel(charts, group) {
  const rows = group.segments.filter((s) => s.amount_cupac || s.amount_welch)
    .map((s) => ({ ...(s.amount_cupac || s.amount_welch), name: `${s.segment}: ${s.level}` }));
  if (!rows.length) return panel(`${group.group}: segments`, empty('No segments in this report.'));
  const box = intervalChart(charts, `Top-up effect of ${group.group} per segment`, rows, (r) => r.name);
  box.style.height = `${Math.max(300, rows.length * 22)}px`;
  return panel(`${group.group}: top-up effect per segment (CUPAC, or Welch)`, box);
}

function responsePanel(charts, group) {
  const h = group.response_histogram;
  if (!h || !h.edges) return panel(`${group.group}: per-player response`, empty('No response distribution in this report.'));
  const labels = h.nudged.map((_, i) => number((h.edges[i] + h.edges[i + 1]) / 2, 0));
  return panel(`${group.group}: per-player response (share of players)`,
    charts.add(`Per-player response distribution of ${group.group} against control`, {
      type: 'bar',
      data: { labels, datasets: [
        { label: group.group, data: h.nudged, backgroundColor: 'rgba(217,72,15,.6)' },
        { label: 'control', data: h.control, backgroundColor: 'rgba(31,95,191,.45)' },
      ] },
      options: { scales: { x: { title: { display: true, text: 'response (observed − counterfactual)' } }, y: { title: { display: true, text: 'share' } } } },
    }),
    el('p', { class: 'note' }, `Players whose response is clearly positive: ${percent(group.response.share_clearly_positive)}, ` +
      `clearly negative: ${percent(group.response.share_clearly_negative)}; mean response ${number(group.response.mean_response)}.`));
}

function qiniPanel(charts, group) {
  const uplift = group.uplift;
  if (!uplift || !uplift.models || !uplift.models.length)
    return panel(`${group.group}: Qini curve`, empty(`No uplift models in this report${uplift && uplift.note ? ` (${uplift.note})` : ''}.`));
  const share = uplift.models[0].curve.share;
  const datasets = uplift.models.map((m, i) => ({
    label: `${m.name} (Qini ${number(m.qini_coefficient, 3)})`, data: m.curve.qini, borderColor: palette[i], backgroundColor: palette[i], pointRadius: 0,
  }));
  const last = uplift.models[0].curve.qini.at(-1);
  datasets.push({ label: 'random targeting', data: share.map((s) => s * last), borderColor: '#868e96', borderDash: [6, 4], pointRadius: 0 });
  return panel(`${group.group}: Qini curve (${uplift.outcome}, ${uplift.held_out_players} held-out players)`,
    charts.add(`Qini curves of the uplift models for ${group.group}`, {
      type: 'line', data: { labels: share.map((s) => `${Math.round(s * 100)} %`), datasets },
      options: { scales: { x: { title: { display: true, text: 'players targeted, best-ranked first' } }, y: { title: { display: true, text: 'incremental outcome' } } } },
    }));
}

function showFinished(charts, data, body) {
  const parts = [el('p', { class: 'note' },
    `${data.context?.title || 'Nudge effects'} · control group ${data.control_group} (${number(data.control_players, 0)} players) · ` +
    `model ${data.context?.model || '–'} · ${data.context?.generated_by || ''}`)];
  for (const group of data.groups) {
    parts.push(el('h3', {}, `Group ${group.group} (${number(group.players, 0)} players, nudge)`));
    parts.push(el('div', { class: 'grid' },
      ...group.outcomes.map((o) => outcomePanel(charts, group, o)),
      segmentPanel(charts, group), responsePanel(charts, group), qiniPanel(charts, group)));
  }
  body.append(...parts);
}

export const render = reportRenderer(api, {
  kind: 'playsight.nudge_effects', noun: 'nudge effect reports', command: 'playsight effect',
  showFinished,
  live: () => { throw new Error('a nudge effect report is written at once, never running'); },
});
