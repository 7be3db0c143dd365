// #/assets : the asset list (GET /v1/assets), paged, sorted and searched by
// the server, so an estate of 100,000 assets costs the page one request of
// one page. The query lives in the hash (#/assets?sort=asset_id&order=asc&q=web),
// so a view can be linked to and the back button works.
import {get} from './api.js';
import {assetLink, el, fmtInt, fmtScore, fmtTime, levelBadge, route, table, text} from './dom.js';

const LEVELS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'MINIMAL'];
const PAGE_SIZES = [50, 100, 200, 500];
// Sortable columns: the server's sort key, the label, the first order a click asks for.
const SORTS = {
  asset_id: ['Asset', 'asc'],
  risk: ['Risk', 'desc'],
  findings: ['Findings', 'desc'],
  quantum_risk: ['Quantum risk', 'desc'],
  threat_score: ['Threat', 'desc'],
  last_seen: ['Last seen', 'desc'],
};

function intParam(params, name, fallback) {
  const n = Number.parseInt(params.get(name) || '', 10);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

export function readQuery(params) {
  const sort = SORTS[params.get('sort')] ? params.get('sort') : 'risk';
  const order = params.get('order') === 'asc' || params.get('order') === 'desc' ? params.get('order') : SORTS[sort][1];
  const limit = PAGE_SIZES.includes(intParam(params, 'limit', 50)) ? intParam(params, 'limit', 50) : 50;
  const level = LEVELS.includes(params.get('risk_level')) ? params.get('risk_level') : '';
  return {offset: intParam(params, 'offset', 0), limit, sort, order, q: params.get('q') || '', risk_level: level};
}

function hrefFor(query) {
  const shown = {};
  for (const [k, v] of Object.entries(query)) if (v !== '' && !(k === 'offset' && v === 0)) shown[k] = v;
  return route('/assets', shown);
}

function sortHeader(query, key) {
  const [label, first] = SORTS[key];
  const active = query.sort === key;
  const order = active ? (query.order === 'asc' ? 'desc' : 'asc') : first;
  const mark = active ? (query.order === 'asc' ? ' ▲' : ' ▼') : '';
  const a = el('a', {href: hrefFor({...query, sort: key, order, offset: 0}), class: 'sort', 'data-sort': key,
    title: `Sort by ${label.toLowerCase()}, ${order === 'asc' ? 'ascending' : 'descending'}`}, label,
  active ? el('span', {class: 'sort-mark'}, mark, el('span', {class: 'sr'}, query.order === 'asc' ? ' (ascending)' : ' (descending)')) : null);
  return a;
}

function searchForm(query) {
  const q = el('input', {type: 'search', id: 'asset-search', name: 'q', value: query.q, placeholder: 'part of an asset id', autocomplete: 'off'});
  const level = el('select', {id: 'asset-level', name: 'risk_level'},
    el('option', {value: ''}, 'any risk level'),
    LEVELS.map((l) => el('option', {value: l, selected: query.risk_level === l}, l)));
  const size = el('select', {id: 'asset-page-size', name: 'limit'},
    PAGE_SIZES.map((n) => el('option', {value: n, selected: query.limit === n}, `${n} a page`)));
  const form = el('form', {class: 'search', id: 'asset-search-form', role: 'search'},
    el('label', {for: 'asset-search'}, 'Search'), q,
    el('label', {for: 'asset-level', class: 'sr'}, 'Risk level'), level,
    el('label', {for: 'asset-page-size', class: 'sr'}, 'Rows a page'), size,
    el('button', {type: 'submit'}, 'Search'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = hrefFor({...query, q: q.value.trim(), risk_level: level.value, limit: Number(size.value), offset: 0});
  });
  return form;
}

function pager(query, page, top) {
  const id = (name) => (top ? name : null);
  const first = page.total ? page.offset + 1 : 0;
  const last = page.offset + page.assets.length;
  const prev = Math.max(0, page.offset - page.limit);
  return el('div', {class: 'pager'},
    el('span', {id: id('asset-range')}, `Rows ${fmtInt(first)}–${fmtInt(last)} of `,
      el('span', {id: id('asset-total')}, fmtInt(page.total))),
    page.offset > 0 ? el('a', {href: hrefFor({...query, offset: prev}), id: id('asset-prev'), rel: 'prev'}, '← Previous') : null,
    last < page.total ? el('a', {href: hrefFor({...query, offset: last}), id: id('asset-next'), rel: 'next'}, 'Next →') : null);
}

export async function assetsView(ctx) {
  const query = readQuery(ctx.params);
  const page = await get('v1/assets', query);
  const rows = page.assets || [];
  const columns = [
    {label: sortHeader(query, 'asset_id'), field: 'asset_id', cell: (a) => assetLink(a.asset_id)},
    {label: 'Type', cell: (a) => text(a.asset_type)},
    {label: 'Risk level', field: 'risk_level', cell: (a) => levelBadge(a.risk_level)},
    {label: sortHeader(query, 'risk'), class: 'num', field: 'risk', cell: (a) => fmtScore(a.risk)},
    {label: sortHeader(query, 'findings'), class: 'num', field: 'findings', cell: (a) => fmtInt(a.findings)},
    {label: sortHeader(query, 'quantum_risk'), class: 'num', field: 'quantum_risk', cell: (a) => fmtScore(a.quantum_risk)},
    {label: sortHeader(query, 'threat_score'), class: 'num', field: 'threat_score', cell: (a) => fmtScore(a.threat_score)},
    {label: 'Anomaly', cell: (a) => (a.is_anomaly === true ? 'yes' : a.is_anomaly === false ? 'no' : '—')},
    {label: 'Source', cell: (a) => text(a.source)},
    {label: sortHeader(query, 'last_seen'), field: 'last_seen', cell: (a) => fmtTime(a.last_seen)},
  ];
  const what = [query.q ? `matching “${query.q}”` : '', query.risk_level ? `at ${query.risk_level}` : ''].filter(Boolean).join(' ');
  ctx.show(
    el('h1', {}, 'Assets'),
    searchForm(query),
    pager(query, page, true),
    table(columns, rows, {id: 'assets-table', class: 'assets',
      empty: what ? `No asset ${what}.` : 'No assets yet: post scan results or start a scan.'}),
    rows.length > 20 ? pager(query, page, false) : null);
}
