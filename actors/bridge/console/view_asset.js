// #/assets/<id> : one asset: its latest assessment, its changes between the
// last two scans, each metric series plotted with its anomalies, its crypto
// inventory when a scan job produced it, and its history. The history comes
// first (it says what else the asset has); the other sections load beside it.
import {assetPath, describe, get} from './api.js';
import {changesSection, inventorySection, seriesSection} from './asset_sections.js';
import {DASH, el, fmtInt, fmtProbability, fmtScore, fmtTime, levelBadge, facts, notice, route, scanHref, section, table, text} from './dom.js';

const HISTORY_PAGE = 25;

/** The scan job that produced a result: only our scanner's results name one. */
function scanJobOf(meta) {
  return meta.source === 'qscan scanner' && typeof meta.scan_job === 'string' ? meta.scan_job : null;
}

function anomalyText(a) {
  if (!a) return 'not judged';
  const types = (a.anomaly_types || []).join(', ');
  return `${a.is_anomaly ? 'yes' : 'no'}, score ${fmtScore(a.anomaly_score)}${types ? ' (' + types + ')' : ''}`;
}

function findingsTable(entry) {
  const result = entry.scan_result || {};
  const parts = (entry.prediction && entry.prediction.findings) || [];
  const rows = (result.vulnerabilities || []).map((v, i) => ({v, p: parts[i] || {}}));
  return table([
    {label: 'Severity', field: 'severity', cell: (r) => text(r.v.severity)},
    {label: 'Type', field: 'type', cell: (r) => text(r.v.type)},
    {label: 'Algorithm', cell: (r) => text(r.v.algorithm)},
    {label: 'Finding', field: 'title', cell: (r) => text(r.v.title || r.v.description || r.v.rule)},
    {label: 'Location', field: 'location', cell: (r) => text(r.v.location)},
    {label: 'CVE', cell: (r) => text(r.v.cve_id || r.p.cve_id)},
    {label: 'Exploit probability', class: 'num', cell: (r) => fmtProbability(r.p.exploit_probability)},
    {label: 'KEV', cell: (r) => (r.p.known_exploited ? 'yes' : r.p.exploit_probability === undefined ? DASH : 'no')},
  ], rows, {id: 'latest-findings', empty: 'No findings in the latest scan.'});
}

function latestSection(page, listed) {
  const e = page.latest;
  if (!e) return section('Latest assessment', notice('Nothing stored for this asset.'));
  const r = e.scan_result || {};
  const meta = r.metadata || {};
  const p = e.prediction;
  const job = scanJobOf(meta);
  return section('Latest assessment',
    facts([
      listed ? ['Risk level', levelBadge(listed.risk_level), 'risk_level'] : null,
      listed ? ['Risk', fmtScore(listed.risk), 'risk'] : null,
      ['Asset type', text(r.asset_type), 'asset_type'],
      ['Scanned at', fmtTime(r.timestamp), 'timestamp'],
      ['Stored at', fmtTime(e.stored_at), 'stored_at'],
      ['Source', job ? el('span', {}, 'scan job ', el('a', {href: scanHref(job)}, job)) : text(meta.source || 'posted'), 'source'],
      ['Quantum risk', fmtScore(r.quantum_risk_score), 'quantum_risk'],
      ['Threat score', p ? fmtScore(p.threat_score) : 'not predicted', 'threat_score'],
      p && (p.threat_types || []).length ? ['Threat types', p.threat_types.join(', '), 'threat_types'] : null,
      ['Anomaly', anomalyText(e.anomaly), 'anomaly'],
      ['Findings', fmtInt((r.vulnerabilities || []).length), 'findings'],
      ['Scans stored', fmtInt(page.total), 'entries'],
    ], {id: 'latest'}),
    findingsTable(e),
    p && (p.mitigation_steps || []).length
      ? el('div', {}, el('h3', {}, 'Mitigation'), el('ul', {id: 'mitigation'}, p.mitigation_steps.map((m) => el('li', {}, String(m)))))
      : null,
    e.anomaly && (e.anomaly.details || []).length
      ? el('div', {}, el('h3', {}, 'Anomaly details'), el('ul', {id: 'anomaly-details'}, e.anomaly.details.map((d) => el('li', {}, String(d)))))
      : null);
}

function historyRows(entries) {
  return entries.map((h) => ({h, r: h.scan_result || {}}));
}

const HISTORY_COLUMNS = [
  {label: 'Entry', class: 'num', field: 'id', cell: (x) => String(x.h.id)},
  {label: 'Stored at', cell: (x) => fmtTime(x.h.stored_at)},
  {label: 'Scanned at', cell: (x) => fmtTime(x.r.timestamp)},
  {label: 'Operation', cell: (x) => text(x.h.operation)},
  {label: 'Findings', class: 'num', cell: (x) => fmtInt((x.r.vulnerabilities || []).length)},
  {label: 'Quantum risk', class: 'num', cell: (x) => fmtScore(x.r.quantum_risk_score)},
  {label: 'Threat', class: 'num', cell: (x) => (x.h.prediction ? fmtScore(x.h.prediction.threat_score) : DASH)},
  {label: 'Anomaly', cell: (x) => (x.h.anomaly ? (x.h.anomaly.is_anomaly ? `yes (${fmtScore(x.h.anomaly.anomaly_score)})` : 'no') : DASH)},
];

function historySection(id, page) {
  const wrap = table(HISTORY_COLUMNS, historyRows(page.history || []), {id: 'history', empty: 'No history.'});
  const body = wrap.querySelector('tbody');
  const more = el('div', {class: 'more'});
  let next = page.next;
  const showMore = () => {
    more.replaceChildren();
    if (!next) return;
    const button = el('button', {type: 'button', id: 'history-more'}, 'Show older entries');
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const older = await get(assetPath(id), {limit: HISTORY_PAGE, cursor: next});
        const rows = table(HISTORY_COLUMNS, historyRows(older.history || [])).querySelectorAll('tbody tr');
        body.append(...rows);
        next = older.next;
        showMore();
      } catch (e) {
        more.replaceChildren(notice(describe(e), 'error'));
      }
    });
    more.append(button);
  };
  showMore();
  return section(`History (${fmtInt(page.total)} ${page.total === 1 ? 'entry' : 'entries'}, newest first)`, wrap, more);
}

/** The asset's row of the list (risk and level), when a search by its id finds it. */
async function listedRow(id) {
  if (new TextEncoder().encode(id).length > 256) return null; // longer than a search may be
  try {
    const found = await get('v1/assets', {q: id, sort: 'asset_id', order: 'asc', limit: 50});
    return (found.assets || []).find((a) => a.asset_id === id) || null;
  } catch (e) {
    return null;
  }
}

/** A section filled when `load` resolves; a failure shows its reason in place. */
function later(title, load) {
  const holder = el('div', {class: 'later'}, section(title, el('p', {class: 'muted'}, 'Loading…')));
  load().then((node) => holder.replaceChildren(node), (e) => holder.replaceChildren(section(title, notice(describe(e), 'error'))));
  return holder;
}

export async function assetView(ctx) {
  const id = ctx.id;
  const [page, listed] = await Promise.all([get(assetPath(id), {limit: HISTORY_PAGE}), listedRow(id)]);
  if (!ctx.live()) return;
  const entries = page.history || [];
  // Series exist for scans judged for anomalies; an asset only ever predicted has none.
  const judged = entries.some((h) => h.anomaly) || (page.next !== null && page.next !== undefined);
  const meta = (page.latest && page.latest.scan_result && page.latest.scan_result.metadata) || {};
  const job = scanJobOf(meta);
  ctx.show(
    el('p', {class: 'crumbs'}, el('a', {href: route('/assets')}, 'Assets'), ' / '),
    el('h1', {class: 'asset-title'}, el('span', {class: 'muted'}, 'Asset '), el('code', {id: 'asset-id'}, id)),
    latestSection(page, listed),
    later('Changes since the previous scan', () => changesSection(id)),
    judged ? later('Metric series', () => seriesSection(id)) : section('Metric series', notice('No scan of this asset was judged for anomalies (posted to predict only), so it has no series.')),
    job ? later('Crypto inventory', () => inventorySection(id, job)) : null,
    historySection(id, page));
}
