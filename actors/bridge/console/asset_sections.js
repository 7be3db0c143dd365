// The asset page's sections that load beside its history: the changes between
// its last two scans (GET /v1/assets/{id}/changes: empty, never a 404, for an
// asset with one scan), its metric series (GET /v1/assets/{id}/series), and
// its crypto inventory: the CBOM components of the scan job that scanned it.
import {assetPath, get, scanPath} from './api.js';
import {DASH, el, fmtInt, fmtProbability, fmtScore, fmtTime, notice, scanHref, section, table, text} from './dom.js';
import {plotSeries} from './plot.js';

const QUANTUM = {
  broken_by_shor: 'broken (Shor)',
  weakened_by_grover: 'weakened (Grover)',
  post_quantum: 'post-quantum',
  hybrid: 'hybrid',
  classically_broken: 'broken already',
  not_affected: 'not affected',
  unknown: 'unknown',
};

const FINDING_COLUMNS = [
  {label: 'Severity', field: 'severity', cell: (f) => text(f.severity)},
  {label: 'Type', cell: (f) => text(f.type)},
  {label: 'Algorithm', cell: (f) => text(f.algorithm)},
  {label: 'Against a quantum computer', cell: (f) => text(QUANTUM[f.quantum_status] || f.quantum_status)},
  {label: 'Finding', field: 'title', cell: (f) => text(f.title || f.rule)},
  {label: 'Location', cell: (f) => text(f.location)},
  {label: 'Exploit probability', class: 'num', cell: (f) => fmtProbability(f.exploit_probability)},
];

function names(list, empty) {
  return list && list.length ? list.map(String).join(', ') : empty;
}

function certificates(list) {
  return table([
    {label: 'Subject', cell: (c) => text(c.subject)},
    {label: 'Key', cell: (c) => text(c.key)},
    {label: 'Not valid after', cell: (c) => fmtTime(c.not_after)},
    {label: 'SHA-256', class: 'mono', cell: (c) => text(c.sha256 || c.fingerprint)},
  ], list || [], {empty: 'None.'});
}

export async function changesSection(id) {
  const c = await get(assetPath(id, '/changes'));
  const title = 'Changes since the previous scan';
  if (!c.from) {
    return section(title, el('p', {id: 'changes-empty', class: 'notice notice-info'},
      'Only one scan of this asset is stored: there is nothing to compare it with yet.'));
  }
  const f = c.findings || {}, a = c.algorithms || {}, g = c.post_quantum_groups || {}, certs = c.certificates || {};
  const q = c.quantum_risk || {};
  return section(title,
    el('p', {id: 'changes-summary'}, el('strong', {}, text(c.summary)),
      ` (entry ${c.from.id}, scanned ${fmtTime(c.from.scan_timestamp)}, to entry ${c.to.id}, scanned ${fmtTime(c.to.scan_timestamp)}; `,
      `quantum risk ${fmtScore(q.from)} → ${fmtScore(q.to)})`),
    el('ul', {class: 'change-list', id: 'changes-lists'},
      el('li', {}, 'Algorithms added: ', names(a.added, 'none'), '; removed: ', names(a.removed, 'none'), '.'),
      el('li', {}, 'Post-quantum groups gained: ', names(g.gained, 'none'), '; lost: ', names(g.lost, 'none'), '.')),
    el('h3', {}, `New findings (${fmtInt((f.new || []).length)})`),
    table(FINDING_COLUMNS, f.new || [], {id: 'changes-new', empty: 'None.'}),
    el('h3', {}, `Fixed findings (${fmtInt((f.fixed || []).length)})`),
    table(FINDING_COLUMNS, f.fixed || [], {id: 'changes-fixed', empty: 'None.'}),
    el('details', {}, el('summary', {}, `Unchanged findings (${fmtInt((f.unchanged || []).length)})`),
      table(FINDING_COLUMNS, f.unchanged || [], {id: 'changes-unchanged', empty: 'None.'})),
    (certs.added || []).length || (certs.removed || []).length
      ? [el('h3', {}, 'Certificates added'), certificates(certs.added), el('h3', {}, 'Certificates removed'), certificates(certs.removed)]
      : el('p', {}, 'No certificate replaced.'));
}

export async function seriesSection(id) {
  const s = await get(assetPath(id, '/series'));
  const options = {coldStart: s.cold_start_points || 0, alertScore: s.alert_score};
  const series = s.series || [];
  const anomalies = series.reduce((n, one) => n + (one.points || []).filter((p) => p.is_anomaly).length, 0);
  return section('Metric series',
    el('p', {id: 'series-summary'},
      `${fmtInt(s.scans)} ${s.scans === 1 ? 'scan' : 'scans'} judged by the ${text(s.detector)} detector; `,
      `a point scoring ${s.alert_score} or more is an anomaly (${fmtInt(anomalies)} here).`),
    el('div', {class: 'plots', id: 'plots'}, series.map((one) => plotSeries(one, options))));
}

// ------------------------------------------------------------ inventory

function occursAt(component, id) {
  const found = ((component.evidence || {}).occurrences || []).map((o) => String(o.location));
  return found.some((loc) => loc === id || 'file://' + loc === id);
}

function kindOf(c) {
  const p = c.cryptoProperties || {};
  const alg = p.algorithmProperties, mat = p.relatedCryptoMaterialProperties, proto = p.protocolProperties;
  if (alg && alg.primitive) return `${p.assetType} (${alg.primitive})`;
  if (mat && mat.type) return `${p.assetType} (${mat.type})`;
  if (proto && proto.type) return `${p.assetType} (${proto.type})`;
  return text(p.assetType);
}

function detailOf(c) {
  const p = c.cryptoProperties || {};
  if (p.algorithmProperties) {
    const a = p.algorithmProperties;
    return [a.parameterSetIdentifier ? `${a.parameterSetIdentifier} bits` : '', a.curve || '', a.mode || '']
      .filter(Boolean).join(', ') || DASH;
  }
  if (p.certificateProperties) {
    const x = p.certificateProperties;
    return `issued by ${text(x.issuerName)}, valid until ${fmtTime(x.notValidAfter)}`;
  }
  if (p.relatedCryptoMaterialProperties) {
    const m = p.relatedCryptoMaterialProperties;
    return m.size ? `${m.size} bits` : DASH;
  }
  if (p.protocolProperties) {
    const suites = p.protocolProperties.cipherSuites || [];
    return `version ${text(p.protocolProperties.version)}${suites.length ? `, ${suites.length} cipher suites` : ''}`;
  }
  return DASH;
}

function level(c, key) {
  const a = (c.cryptoProperties || {}).algorithmProperties;
  return a && typeof a[key] === 'number' ? String(a[key]) : DASH;
}

export async function inventorySection(id, job) {
  const title = 'Crypto inventory';
  const from = el('p', {}, 'From the CycloneDX 1.6 CBOM of scan job ', el('a', {href: scanHref(job)}, job), '.');
  const status = await get(scanPath(job), {limit: 1});
  if (status.status !== 'done') return section(title, from, notice(`The scan job is ${text(status.status)}; its CBOM comes when it is done.`));
  const bom = await get(scanPath(job, '/cbom'));
  const mine = (bom.components || []).filter((c) => occursAt(c, id));
  return section(title, from, table([
    {label: 'Component', field: 'name', cell: (c) => text(c.name)},
    {label: 'Kind', cell: kindOf},
    {label: 'Details', cell: detailOf},
    {label: 'Classical bits', class: 'num', cell: (c) => level(c, 'classicalSecurityLevel')},
    {label: 'NIST quantum level', class: 'num', cell: (c) => level(c, 'nistQuantumSecurityLevel')},
  ], mine, {id: 'inventory', empty: 'The CBOM names no component at this asset.'}),
  el('p', {class: 'muted'}, 'NIST quantum level 0: broken by a quantum computer (Shor); 1 to 5: the post-quantum security categories.'));
}
