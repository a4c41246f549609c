// Playtests: the emotion timeline of each `playsight playtest` session (the smoothed expression
// probabilities per second) with its moments highlighted, the moments as a table, and a live view
// of a session being analysed (its seconds.jsonl followed as it grows).
import { api } from '../app.js';
import { el, empty, number, palette, panel, reportRenderer, table } from '../ui.js';

const expressionColours = {
  happy: '#2b8a3e', surprise: '#e67700', neutral: '#868e96', sad: '#1f5fbf', angry: '#c92a2a',
  fear: '#862e9c', disgust: '#5c940d',
};

// Shades each moment's span on the timeline (a Chart.js plugin of this chart only).
function momentsPlugin(moments) {
  return {
    id: 'playsightMoments',
    beforeDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      ctx.save();
      for (const m of moments) {
        const left = scales.x.getPixelForValue(m.start_s);
        const right = scales.x.getPixelForValue(m.end_s);
        ctx.fillStyle = `${expressionColours[m.expression] || '#f0a202'}33`;
        ctx.fillRect(left, chartArea.top, Math.max(2, right - left), chartArea.bottom - chartArea.top);
        ctx.fillStyle = '#1d2430';
        ctx.font = '12px system-ui';
        ctx.fillText(`${m.reading} (${m.expression})`, left + 3, chartArea.top + 14);
      }
      ctx.restore();
    },
  };
}

function timeline(charts, seconds, moments) {
  const names = seconds.length ? Object.keys(seconds[0].smoothed || seconds[0].expressions) : Object.keys(expressionColours);
  const datasets = names.map((name, i) => ({
    label: name,
    data: seconds.map((s) => point(s, name)),
    borderColor: expressionColours[name] || palette[i % palette.length],
    backgroundColor: expressionColours[name] || palette[i % palette.length],
    pointRadius: 0, tension: 0.25, spanGaps: false,
  }));
  return charts.add('Emotion timeline: expression probabilities per second, moments shaded', {
    type: 'line', data: { datasets }, plugins: [momentsPlugin(moments)],
    options: {
      parsing: true,
      scales: { x: { type: 'linear', title: { display: true, text: 'second of the session' } }, y: { min: 0, max: 1, title: { display: true, text: 'probability (smoothed)' } } },
    },
  });
}

function showFinished(charts, data, body) {
  body.append(
    el('p', { class: 'note' }, `${data.source.path}${data.tester ? ` · tester ${data.tester}` : ''}${data.build ? ` · build ${data.build}` : ''} · ` +
      `${number(data.run.video_seconds)} s of video, face seen in ${number(data.run.frames_with_face, 0)} of ${number(data.run.frames_analysed, 0)} frames`),
    panel('Emotion timeline', timeline(charts, data.seconds, data.moments)),
    el('div', { class: 'grid' },
      panel(`Moments (${data.moments.length})`, data.moments.length ? table([
        { label: 'From', value: (m) => `${number(m.start_s)} s`, num: true },
        { label: 'To', value: (m) => `${number(m.end_s)} s`, num: true },
        { label: 'Reading', value: (m) => m.reading },
        { label: 'Expression', value: (m) => m.expression },
        { label: 'Peak', value: (m) => `${number(m.peak_probability, 3)} at ${number(m.peak_s)} s`, num: true },
        { label: 'Baseline', value: (m) => number(m.baseline, 3), num: true },
      ], data.moments) : empty('No moment rose clearly above the tester’s baseline.')),
      panel('Baseline (the tester’s usual expression)', table([
        { label: 'Expression', value: ([name]) => name },
        { label: 'Probability', value: ([, p]) => number(p, 3), num: true },
      ], Object.entries(data.baseline || {}))),
      data.events && data.events.length ? panel(`Game events (${data.events.length})`, table([
        { label: 'Event', value: (e) => e.name || e.event || JSON.stringify(e) },
        { label: 'At', value: (e) => `${number(e.time_s ?? e.at_s ?? e.second)} s`, num: true },
      ], data.events)) : null));
}

const point = (s, name) => ({ x: s.second, y: s.face_visible ? (s.smoothed || s.expressions)[name] : null });

export const render = reportRenderer(api, {
  kind: 'playsight.playtest_session', noun: 'playtest sessions', command: 'playsight playtest VIDEO',
  showFinished,
  live: (charts) => ({
    title: 'Emotion timeline (live)',
    note: 'moments are found when the session ends',
    makeChart: (seconds) => timeline(charts, seconds, []),
    redraw: (chart, seconds) => {
      for (const dataset of chart.data.datasets) dataset.data = seconds.map((s) => point(s, dataset.label));
    },
  }),
});
