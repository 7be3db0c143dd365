// One metric series of an asset (GET /v1/assets/{id}/series) drawn as an
// inline SVG line plot when the page opens: points in the order the scans were
// stored (their timestamps may be irregular), the detector's cold start shaded,
// each anomaly ringed and pointed at, and the same facts written out below the
// plot, so it reads without colour and without the picture.
import {el, fmtTime, svg} from './dom.js';

const W = 560, H = 170;
const M = {left: 52, right: 14, top: 18, bottom: 30};

const LABELS = {
  finding_count: 'Findings',
  severity_score: 'Severity score',
  quantum_risk: 'Quantum risk',
  quantum_vulnerable_algorithms: 'Quantum-vulnerable algorithms',
  days_to_certificate_expiry: 'Days to certificate expiry',
};

export function seriesLabel(name) {
  return LABELS[name] || String(name);
}

function fmtValue(v) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return String(v);
  return Number.isInteger(v) ? String(v) : String(Number.parseFloat(v.toFixed(2)));
}

let plots = 0;

function coldNote(cold, coldStart, n) {
  if (cold <= 0) return '';
  if (n <= coldStart)
    return ` ${n === 1 ? 'This point teaches' : `These ${n} points teach`} the detector (shaded): scoring starts at point ${coldStart + 1}.`;
  return ` The first ${cold} points teach the detector (shaded) and are not scored.`;
}

/** A <figure> with the plot of `series` ({name, points}) and its caption. */
export function plotSeries(series, {coldStart = 0, alertScore = 0.5} = {}) {
  const points = (series.points || []).filter((p) => typeof p.value === 'number' && Number.isFinite(p.value));
  const label = seriesLabel(series.name);
  const figure = el('figure', {class: 'plot-figure', 'data-series': series.name});
  if (!points.length) {
    figure.append(el('figcaption', {}, el('strong', {}, label), ': no points (no scan had this value).'));
    return figure;
  }
  const n = points.length;
  const min = Math.min(...points.map((p) => p.value)), max = Math.max(...points.map((p) => p.value));
  // The scale leaves room above and below the data, so a mark at either end is whole.
  const pad = min === max ? Math.abs(max) * 0.5 || 1 : (max - min) * 0.12;
  const lo = min - pad, hi = max + pad;
  const innerW = W - M.left - M.right, innerH = H - M.top - M.bottom;
  const x = (i) => M.left + (n === 1 ? innerW / 2 : (i * innerW) / (n - 1));
  const y = (v) => M.top + (1 - (v - lo) / (hi - lo)) * innerH;
  const step = n > 1 ? innerW / (n - 1) : innerW;
  const anomalies = points.map((p, i) => ({...p, i})).filter((p) => p.is_anomaly === true);
  const titleId = `plot-title-${++plots}`;

  const parts = [
    svg('title', {id: titleId}, `${label}: ${n} points, ${anomalies.length} ${anomalies.length === 1 ? 'anomaly' : 'anomalies'}`),
    svg('rect', {class: 'plot-area', x: M.left, y: M.top, width: innerW, height: innerH}),
  ];
  const cold = Math.min(coldStart, n);
  if (cold > 0) {
    const right = cold >= n ? M.left + innerW : Math.min(M.left + innerW, x(cold - 1) + step / 2);
    parts.push(svg('rect', {class: 'cold', x: M.left, y: M.top, width: Math.max(0, right - M.left), height: innerH}),
      svg('text', {class: 'cold-label', x: M.left + 4, y: M.top + 12}, 'learning'));
  }
  for (const v of min === max ? [max] : [max, (max + min) / 2, min]) {
    parts.push(svg('line', {class: 'grid', x1: M.left, x2: M.left + innerW, y1: y(v), y2: y(v)}),
      svg('text', {class: 'tick', x: M.left - 6, y: y(v) + 4, 'text-anchor': 'end'}, fmtValue(v)));
  }
  parts.push(svg('text', {class: 'tick', x: M.left, y: H - 8, 'text-anchor': 'start'}, fmtTime(points[0].timestamp).slice(0, 10)));
  if (n > 1) parts.push(svg('text', {class: 'tick', x: M.left + innerW, y: H - 8, 'text-anchor': 'end'}, fmtTime(points[n - 1].timestamp).slice(0, 10)));
  parts.push(svg('polyline', {class: 'line', points: points.map((p, i) => `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ')}));
  points.forEach((p, i) => {
    const score = typeof p.anomaly_score === 'number' ? ` (score ${p.anomaly_score.toFixed(3)})` : ' (cold start: not scored)';
    parts.push(svg('circle', {class: 'point', cx: x(i), cy: y(p.value), r: 2.5},
      svg('title', {}, `${fmtTime(p.timestamp)}: ${fmtValue(p.value)}${score}`)));
  });
  for (const a of anomalies) {
    const cx = x(a.i), cy = y(a.value);
    const up = cy - 11 > M.top ? -1 : 1; // the pointer above the point, or below it at the top
    const tip = cy + up * 10, base = cy + up * 18;
    parts.push(svg('g', {class: 'anomaly-mark', 'data-index': a.i},
      svg('title', {}, `Anomaly: ${fmtValue(a.value)} at ${fmtTime(a.timestamp)}, score ${Number(a.anomaly_score).toFixed(3)} (alert at ${alertScore})`),
      svg('circle', {class: 'anomaly-ring', cx, cy, r: 7}),
      svg('path', {class: 'anomaly-pointer', d: `M${cx},${tip} L${cx - 5},${base} L${cx + 5},${base} Z`})));
  }

  figure.append(
    svg('svg', {class: 'plot', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': titleId, preserveAspectRatio: 'xMidYMid meet'}, parts),
    el('figcaption', {},
      el('strong', {}, label), `: ${n} ${n === 1 ? 'point' : 'points'}, from ${fmtValue(min)} to ${fmtValue(max)}. `,
      anomalies.length
        ? el('span', {class: 'anomaly-list'}, `${anomalies.length === 1 ? 'Anomaly' : 'Anomalies'} (ringed): `,
          anomalies.map((a, k) => `${k ? '; ' : ''}${fmtValue(a.value)} at ${fmtTime(a.timestamp)}, score ${Number(a.anomaly_score).toFixed(3)}`), '.')
        : 'No anomaly.',
      coldNote(cold, coldStart, n)));
  return figure;
}
