// Audience: the signage reports of `playsight audience`, one per analysed video (people per
// minute, viewers, attention time, expressions while looking), and a live view of a stream being
// analysed (its seconds.jsonl followed as it grows).
import { api } from '../app.js';
import { cards, el, empty, number, palette, panel, percent, reportRenderer, table } from '../ui.js';

function secondsChart(charts, seconds) {
  return charts.add('People and viewers per second', {
    type: 'line',
    data: {
      labels: seconds.map((s) => s.second),
      datasets: [
        { label: 'people in view', data: seconds.map((s) => s.people), borderColor: palette[0], backgroundColor: palette[0], pointRadius: 0 },
        { label: 'viewers (looking)', data: seconds.map((s) => s.viewers), borderColor: palette[1], backgroundColor: palette[1], pointRadius: 0 },
        { label: 'new people', data: seconds.map((s) => s.new_people), borderColor: palette[2], backgroundColor: palette[2], pointRadius: 0, borderDash: [4, 3] },
      ],
    },
    options: { scales: { x: { title: { display: true, text: 'second of video' } }, y: { beginAtZero: true, title: { display: true, text: 'people' } } } },
  });
}

function showFinished(charts, data, body) {
  const s = data.summary;
  const expressions = Object.entries(s.expressions_while_looking || {});
  body.append(
    el('p', { class: 'note' }, `${data.source.path} · ${number(data.run.video_seconds)} s of video analysed in ${number(data.run.wall_seconds)} s${data.run.ended_early ? ' (ended early)' : ''}${data.run.note ? ` · ${data.run.note}` : ''}`),
    cards([
      ['Passers-by', number(s.passers_by, 0)], ['Viewers', number(s.viewers, 0)],
      ['View rate', percent(s.view_rate)], ['Mean attention', `${number(s.mean_attention_seconds)} s`],
      ['Median attention', `${number(s.median_attention_seconds)} s`], ['Mean dwell', `${number(s.mean_dwell_seconds)} s`],
      ['Peak at once', number(s.peak_concurrent_people, 0)],
    ]),
    el('div', { class: 'grid' },
      panel('People per minute', charts.add('Passers-by and viewers per minute', {
        type: 'bar',
        data: { labels: data.minutes.map((m) => `minute ${m.minute}`), datasets: [
          { label: 'passers-by', data: data.minutes.map((m) => m.passers_by), backgroundColor: palette[0] },
          { label: 'viewers', data: data.minutes.map((m) => m.viewers), backgroundColor: palette[1] },
        ] },
        options: { scales: { y: { beginAtZero: true, title: { display: true, text: 'people' } } } },
      })),
      panel('People per second', secondsChart(charts, data.seconds)),
      panel('Expressions while looking', expressions.length
        ? charts.add('Share of each expression while people looked at the screen', {
          type: 'bar',
          data: { labels: expressions.map(([name]) => name), datasets: [{ label: 'share of looking time', data: expressions.map(([, p]) => p), backgroundColor: palette[3] }] },
          options: { indexAxis: 'y', scales: { x: { beginAtZero: true, max: 1 } } },
        })
        : empty('Nobody looked long enough for an expression reading.')),
      panel(`People (${data.people.length})`, table([
        { label: 'Person', value: (p) => p.id, num: true },
        { label: 'First seen', value: (p) => `${number(p.first_seen_s)} s`, num: true },
        { label: 'Dwell', value: (p) => `${number(p.dwell_s)} s`, num: true },
        { label: 'Attention', value: (p) => `${number(p.attention_s)} s`, num: true },
        { label: 'Looked', value: (p) => (p.looked ? 'yes' : 'no') },
      ], data.people.slice(0, 50)))));
}

export const render = reportRenderer(api, {
  kind: 'playsight.audience', noun: 'audience reports', command: 'playsight audience VIDEO',
  showFinished,
  live: (charts) => ({
    title: 'People per second (live)',
    note: 'the report appears here when the analysis ends',
    makeChart: (seconds) => secondsChart(charts, seconds),
    redraw: (chart, seconds) => {
      chart.data.labels = seconds.map((s) => s.second);
      chart.data.datasets[0].data = seconds.map((s) => s.people);
      chart.data.datasets[1].data = seconds.map((s) => s.viewers);
      chart.data.datasets[2].data = seconds.map((s) => s.new_people);
    },
    describe: (seconds) => `${seconds.length} seconds so far, ${seconds.reduce((n, s) => n + s.new_people, 0)} people`,
  }),
});
