// Monitoring: request rate, errors, latency percentiles and drift per model over time
// (GET /v1/monitoring/history, polled every interval), and the drift readings now
// (GET /v1/monitoring).
import { api, showMessage } from '../app.js';
import { Charts, el, empty, number, palette, panel, table } from '../ui.js';

function timeLabel(at) {
  return at.slice(11, 19);
}

// {series name: [value per sample]} for one field of the samples' series.
function seriesValues(samples, field) {
  const names = new Set();
  for (const s of samples) for (const x of s.series) names.add(x.series);
  const out = {};
  for (const name of names)
    out[name] = samples.map((s) => {
      const found = s.series.find((x) => x.series === name);
      return found ? found[field] : 0;
    });
  return out;
}

function lineDatasets(valuesByName, suffix = '') {
  return Object.entries(valuesByName).map(([name, data], i) => ({
    label: `${name}${suffix}`, data, borderColor: palette[i % palette.length],
    backgroundColor: palette[i % palette.length], pointRadius: 0, tension: 0.2,
  }));
}

function driftTable(monitoring) {
  return table([
    { label: 'Model/alias', value: (m) => el('span', { 'data-drift-model': `${m.model}/${m.alias}` }, `${m.model}/${m.alias}`) },
    { label: 'Version', value: (m) => m.version ?? '–', num: true },
    { label: 'Status', value: (m) => el('span', { class: `badge ${m.status === 'drift' ? 'drift' : m.status === 'ok' ? 'ok' : ''}` }, m.status) },
    { label: 'Players seen', value: (m) => number(m.rows ?? null, 0), num: true },
    { label: 'Prediction PSI', value: (m) => number(m.prediction ? m.prediction.psi : null, 4), num: true },
    { label: 'Worst feature', value: (m) => {
      if (!m.features || !m.features.length) return m.hint || '–';
      const worst = m.features.reduce((a, b) => (b.psi > a.psi ? b : a));
      return `${worst.name} (PSI ${number(worst.psi, 4)})`;
    } },
  ], monitoring.models);
}

export async function render(view) {
  const charts = new Charts();
  let timer = null;
  let stopped = false;
  const draw = async () => {
    const [history, monitoring] = await Promise.all([api('/v1/monitoring/history'), api('/v1/monitoring')]);
    charts.destroy();
    const samples = history.samples;
    const parts = [];
    parts.push(panel('Drift now (PSI against the reference population)', driftTable(monitoring)));
    if (!samples.length) {
      parts.push(empty(`The first sample arrives ${history.interval_seconds} s after the service started; this page refreshes itself.`));
    } else {
      const labels = samples.map((s) => timeLabel(s.at));
      const rate = seriesValues(samples, 'requests_per_second');
      const errors = seriesValues(samples, 'errors');
      const latency = {};
      for (const [name, values] of Object.entries(seriesValues(samples, 'p50_ms'))) latency[`${name} p50`] = values;
      for (const [name, values] of Object.entries(seriesValues(samples, 'p95_ms'))) latency[`${name} p95`] = values;
      for (const [name, values] of Object.entries(seriesValues(samples, 'p99_ms'))) latency[`${name} p99`] = values;
      const driftNames = [...new Set(samples.flatMap((s) => s.drift.map((d) => `${d.model}/${d.alias}`)))];
      const driftSets = [];
      driftNames.forEach((name, i) => {
        const pick = (field) => samples.map((s) => {
          const d = s.drift.find((x) => `${x.model}/${x.alias}` === name);
          return d && d.status !== 'no_reference' && d.status !== 'not_loaded' ? d[field] : null;
        });
        driftSets.push({ label: `${name} prediction PSI`, data: pick('prediction_psi'), borderColor: palette[i], backgroundColor: palette[i], pointRadius: 0 });
        driftSets.push({ label: `${name} worst feature PSI`, data: pick('max_feature_psi'), borderColor: palette[i], backgroundColor: palette[i], borderDash: [6, 4], pointRadius: 0 });
      });
      const axis = (title) => ({ x: { title: { display: true, text: 'time (UTC)' } }, y: { beginAtZero: true, title: { display: true, text: title } } });
      parts.push(el('p', { class: 'note' }, `${samples.length} samples of ${history.interval_seconds} s, last at ${samples.at(-1).at}; refreshed every ${history.interval_seconds} s.`));
      parts.push(el('div', { class: 'grid' },
        panel('Request rate', charts.add('Requests per second over time', { type: 'line', data: { labels, datasets: lineDatasets(rate) }, options: { scales: axis('requests / s') } })),
        panel('Errors', charts.add('Errors per interval over time', { type: 'bar', data: { labels, datasets: lineDatasets(errors) }, options: { scales: axis('answers >= 400 per interval') } })),
        panel('Latency percentiles', charts.add('Latency percentiles over time', { type: 'line', data: { labels, datasets: lineDatasets(latency) }, options: { scales: axis('milliseconds') } })),
        panel('Drift', driftNames.length
          ? charts.add('Drift PSI over time', { type: 'line', data: { labels, datasets: driftSets }, options: { scales: axis('PSI (0.1 warn, 0.25 drift)') } })
          : empty('No served alias.'))));
    }
    view.replaceChildren(...parts);
    return history.interval_seconds;
  };
  const interval = await draw();
  const poll = async () => {
    if (stopped) return;
    try {
      await draw();
    } catch (error) {
      showMessage(error.message);
      return;  // one message, not one per interval; reload the page to retry
    }
    if (!stopped) timer = setTimeout(poll, Math.max(1, interval) * 1000);
  };
  timer = setTimeout(poll, Math.max(1, interval) * 1000);
  return () => { stopped = true; clearTimeout(timer); charts.destroy(); };
}
