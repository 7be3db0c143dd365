// Builds the page from data without ever parsing markup. Every string given
// here becomes a text node (createTextNode) or an attribute value
// (setAttribute): what the API returns (asset ids, finding titles, targets)
// is shown as text, never read as HTML. Nothing in the console uses innerHTML.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An HTML element: el('a', {href: '#/assets', class: 'x', onclick: fn}, 'text', child, [more]). */
export function el(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element, the same way. */
export function svg(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** Appends children: strings and numbers as text, nodes as they are, arrays flattened. */
export function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
  return node;
}

function build(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') {
      if (!name.startsWith('on')) throw new Error(`attribute ${name}: a function`);
      node.addEventListener(name.slice(2), value);
      continue;
    }
    if (name.startsWith('on')) throw new Error(`attribute ${name}: handlers must be functions`);
    if ((name === 'href' || name === 'src') && !safeUrl(String(value)))
      throw new Error(`attribute ${name}: only in-page links`);
    node.setAttribute(name, value === true ? '' : String(value));
  }
  return append(node, children);
}

// Links stay in the page (#/...) or are download blobs made here.
function safeUrl(value) {
  return value.startsWith('#') || value.startsWith('blob:');
}

/** A link to a page of the console: '#' + path, with an optional query object. */
export function route(path, query) {
  const q = query ? new URLSearchParams(query).toString() : '';
  return '#' + path + (q ? '?' + q : '');
}

export function assetHref(id) {
  return route('/assets/' + encodeURIComponent(id));
}

export function scanHref(id) {
  return route('/scans/' + encodeURIComponent(id));
}

/** A link to an asset's page, its id as the text. */
export function assetLink(id) {
  return el('a', {href: assetHref(id), class: 'asset-link'}, String(id));
}

// ------------------------------------------------------------------ formats

export const DASH = '—';

export function fmtInt(n) {
  return typeof n === 'number' && Number.isFinite(n) ? n.toLocaleString('en-US') : DASH;
}

/** A score in [0, 1] with two decimals. */
export function fmtScore(x) {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(2) : DASH;
}

export function fmtPercent(part, whole) {
  if (!whole) return DASH;
  return (100 * part / whole).toFixed(1) + '%';
}

/** A probability as a percentage with enough digits to tell small ones apart. */
export function fmtProbability(p) {
  if (typeof p !== 'number' || !Number.isFinite(p)) return DASH;
  const pct = 100 * p;
  return (pct >= 10 ? pct.toFixed(1) : pct >= 0.1 ? pct.toFixed(2) : pct.toPrecision(2)) + '%';
}

/** An ISO 8601 timestamp as 'YYYY-MM-DD HH:MM:SS' (as written: no time zone arithmetic). */
export function fmtTime(s) {
  if (typeof s !== 'string' || !s) return DASH;
  return s.replace('T', ' ').replace(/\.\d+/, '').replace(/\+00:00$|Z$/, ' UTC');
}

export function text(value) {
  return value === null || value === undefined || value === '' ? DASH : String(value);
}

// ------------------------------------------------------------------ blocks

/** A risk level as a badge: its name is always written out (readable without colour). */
export function levelBadge(level) {
  if (!level) return DASH;
  const name = String(level);
  const known = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'MINIMAL'].includes(name);
  return el('span', {class: 'level' + (known ? ' level-' + name.toLowerCase() : '')}, name);
}

/** A table: columns [{label, cell: row => node|string, class}], rows, options {id, empty}. */
export function table(columns, rows, options = {}) {
  const head = el('tr', {}, columns.map((c) => el('th', {scope: 'col', class: c.class}, c.label)));
  const body = rows.map((row) => el('tr', {}, columns.map((c) => el('td', {class: c.class, 'data-field': c.field}, c.cell(row)))));
  if (!rows.length) {
    body.push(el('tr', {class: 'empty'}, el('td', {colspan: columns.length}, options.empty || 'None.')));
  }
  return el('div', {class: 'table-wrap'},
    el('table', {id: options.id, class: options.class}, options.caption ? el('caption', {}, options.caption) : null,
      el('thead', {}, head), el('tbody', {}, body)));
}

/** Label/value pairs as a definition list. */
export function facts(pairs, attrs = {}) {
  return el('dl', {class: 'facts', ...attrs}, pairs.filter(Boolean).map(([label, value, field]) => [
    el('dt', {}, label), el('dd', {'data-field': field}, value)]));
}

/** A horizontal bar (SVG), for counts beside their number. */
export function bar(value, max) {
  const width = 160;
  const w = max > 0 ? Math.max(value > 0 ? 2 : 0, Math.round(width * value / max)) : 0;
  return svg('svg', {class: 'bar', width, height: 12, viewBox: `0 0 ${width} 12`, 'aria-hidden': 'true'},
    svg('rect', {class: 'bar-track', x: 0, y: 0, width, height: 12}),
    svg('rect', {class: 'bar-fill', x: 0, y: 0, width: w, height: 12}));
}

export function section(title, ...children) {
  return el('section', {class: 'panel'}, el('h2', {}, title), children);
}

export function notice(message, kind = 'info') {
  return el('p', {class: 'notice notice-' + kind, role: kind === 'error' ? 'alert' : 'status'}, message);
}
