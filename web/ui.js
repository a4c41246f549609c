// Small DOM and chart helpers shared by the pages.

// el('div', {class: 'x', onclick: f}, child, 'text', ...)
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function number(value, digits = 2) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (typeof value !== 'number') return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude >= 1e6 || magnitude < 1e-3)) return value.toExponential(2);
  return value.toLocaleString('en', { maximumFractionDigits: digits });
}

export function percent(value, digits = 1) {
  return value === null || value === undefined ? '–' : `${(100 * value).toFixed(digits)} %`;
}

// A table: columns [{label, value(row) -> Node|string, num}], rows.
export function table(columns, rows, caption) {
  const head = el('tr', {}, columns.map((c) => el('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)));
  const body = rows.map((row) => el('tr', {}, columns.map((c) => el('td', { class: c.num ? 'num' : null }, c.value(row)))));
  return el('div', { class: 'table-wrap' },
    el('table', {}, caption ? el('caption', { class: 'note' }, caption) : null,
      el('thead', {}, head), el('tbody', {}, body)));
}

export function panel(title, ...children) {
  return el('section', { class: 'panel', 'aria-label': title }, el('h3', {}, title), ...children);
}

export function empty(text) {
  return el('p', { class: 'empty' }, text);
}

export function cards(items) {
  return el('div', { class: 'cards' }, items.map(([label, value]) =>
    el('div', { class: 'card' }, el('div', { class: 'value' }, value), el('div', { class: 'label' }, label))));
}

export const palette = ['#1f5fbf', '#d9480f', '#2b8a3e', '#862e9c', '#c2255c', '#0b7285', '#e67700',
  '#495057'];

// A Chart.js chart in a fixed-height box; returns {box, chart}. label: its accessible name.
export function chart(label, config) {
  const canvas = el('canvas', { role: 'img', 'aria-label': label });
  const box = el('div', { class: 'chart' }, canvas);
  config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false },
    config.options || {});
  const instance = new window.Chart(canvas, config);
  return { box, chart: instance };
}

// Destroys the charts made while a page was shown.
export class Charts {
  constructor() { this.list = []; }
  add(label, config) {
    const made = chart(label, config);
    this.list.push(made.chart);
    return made.box;
  }
  destroy() {
    for (const c of this.list) c.destroy();
    this.list = [];
  }
}

// The report folders of one kind (GET /v1/reports) with a picker; calls show(report, view) for
// the chosen one. Says plainly when the service has no reports folder or none of this kind.
export async function reportPage(view, api, { kind, noun, command, show }) {
  const listing = await api('/v1/reports');
  if (!listing.configured) {
    view.append(empty(`The service was started without a reports folder, so there are no ${noun} ` +
      `to show. Start it with \`playsight serve --reports DIR\`, where DIR holds the output ` +
      `folders of \`${command}\`.`));
    return null;
  }
  const reports = listing.reports.filter((r) => r.kind === kind);
  if (!reports.length) {
    view.append(empty(`No ${noun} yet in the reports folder. Run \`${command} --out DIR/NAME\` ` +
      'inside it and reload this page.'));
    return null;
  }
  const select = el('select', { id: 'report-picker' }, reports.map((r) =>
    el('option', { value: r.id }, `${r.id}${r.status === 'running' ? ' (live)' : ''} · ${r.modified_at}`)));
  const body = el('div');
  let cleanup = null;
  const choose = async () => {
    if (cleanup) cleanup();
    cleanup = null;
    body.replaceChildren();
    const report = reports.find((r) => r.id === select.value);
    cleanup = (await show(report, body)) || null;
  };
  select.addEventListener('change', () => choose().catch((e) => body.append(errorBox(e))));
  view.append(el('div', { class: 'toolbar' },
    el('label', { for: 'report-picker' }, `${reports.length} ${noun}:`), select), body);
  await choose();
  return () => { if (cleanup) cleanup(); };
}

export function errorBox(error) {
  return el('div', { class: 'message error', role: 'alert' }, error.message || String(error));
}

// Polls a report's seconds.jsonl (GET /v1/reports/{id}/seconds?after=N) every `ms` while it
// runs; onSeconds(newSeconds, status). Returns a stop function.
export function followSeconds(api, id, onSeconds, onError, ms = 2000) {
  let next = 0;
  let timer = null;
  let stopped = false;
  const poll = async () => {
    try {
      const page = await api(`/v1/reports/${encodeURIComponent(id)}/seconds?after=${next}`);
      next = page.next;
      onSeconds(page.seconds, page.status);
      if (page.status !== 'running') return;
    } catch (error) {
      onError(error);
    }
    if (!stopped) timer = setTimeout(poll, ms);
  };
  poll();
  return () => { stopped = true; clearTimeout(timer); };
}

// The live view of an analysis still running: a counter, a chart that grows with each poll of
// its seconds.jsonl, and errors in place. chart: the Chart.js config's box from charts.add;
// redraw(chart, seconds): puts all seconds so far into the chart. Returns the stop function.
export function liveView(api, charts, report, body, { title, note, makeChart, redraw, describe }) {
  const seconds = [];
  const counter = el('span', { 'data-live-seconds': '0' }, '0 seconds so far');
  const status = el('span', { class: 'badge live', role: 'status' }, 'live: analysing');
  const box = makeChart(seconds);
  const chart = charts.list.at(-1);
  const errors = el('div');
  body.append(el('p', {}, status, ' ', counter, el('span', { class: 'note' }, ` · ${note}; this view refreshes every 2 s`)),
    panel(title, box), errors);
  return followSeconds(api, report.id, (fresh, state) => {
    seconds.push(...fresh);
    counter.dataset.liveSeconds = String(seconds.length);
    counter.textContent = describe ? describe(seconds) : `${seconds.length} seconds so far`;
    redraw(chart, seconds);
    chart.update();
    if (state !== 'running') status.textContent = 'finished: reload for the report';
    errors.replaceChildren();
  }, (error) => errors.replaceChildren(errorBox(error)));
}

// render(view) of a report page: the picker of reportPage, a live view for running reports and
// showFinished(charts, data, body) for finished ones.
export function reportRenderer(api, { kind, noun, command, live, showFinished }) {
  return async (view) => {
    const charts = new Charts();
    const done = await reportPage(view, api, {
      kind, noun, command,
      show: async (report, body) => {
        charts.destroy();
        if (report.status === 'running') return liveView(api, charts, report, body, live(charts));
        const { data } = await api(`/v1/reports/${encodeURIComponent(report.id)}`);
        showFinished(charts, data, body);
        return null;
      },
    });
    return () => { if (done) done(); charts.destroy(); };
  };
}
