// #/ : the estate at a glance (GET /v1/overview): assets by risk level,
// quantum-vulnerable algorithms by kind, the share of TLS endpoints offering
// a post-quantum group, certificates expiring soon, the findings most likely
// to be exploited, and NIST IR 8547's deadlines.
import {get} from './api.js';
import {DASH, assetLink, bar, el, fmtInt, fmtPercent, fmtProbability, fmtTime, levelBadge, route, section, table, text} from './dom.js';

const LEVELS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'MINIMAL'];

function card(label, value, detail, field) {
  return el('div', {class: 'card'},
    el('div', {class: 'card-label'}, label),
    el('div', {class: 'card-value', 'data-field': field}, value),
    detail ? el('div', {class: 'card-detail'}, detail) : null);
}

function byRiskLevel(o) {
  const counts = o.by_risk_level || {};
  const max = Math.max(0, ...LEVELS.map((l) => counts[l] || 0));
  return section('Assets by risk level', table([
    {label: 'Risk level', cell: (l) => el('a', {href: route('/assets', {risk_level: l})}, levelBadge(l))},
    {label: 'Assets', class: 'num', field: 'count', cell: (l) => fmtInt(counts[l] || 0)},
    {label: 'Share', class: 'num', cell: (l) => fmtPercent(counts[l] || 0, o.assets)},
    {label: '', cell: (l) => bar(counts[l] || 0, max)},
  ], LEVELS, {id: 'by-risk-level'}));
}

function algorithms(o) {
  const rows = o.vulnerable_algorithms || [];
  const max = Math.max(0, ...rows.map((r) => r.assets || 0));
  return section('Quantum-vulnerable algorithms', table([
    {label: 'Algorithm', field: 'algorithm', cell: (r) => text(r.algorithm)},
    {label: 'Assets using it', class: 'num', field: 'assets', cell: (r) => fmtInt(r.assets)},
    {label: '', cell: (r) => bar(r.assets || 0, max)},
  ], rows, {id: 'vulnerable-algorithms', empty: 'No quantum-vulnerable algorithm found.'}));
}

function daysLeft(days) {
  if (typeof days !== 'number') return DASH;
  if (days < 0) return `expired ${-days} ${days === -1 ? 'day' : 'days'} ago`;
  return `${days} ${days === 1 ? 'day' : 'days'}`;
}

function expiring(o) {
  const within = typeof o.expiring_within_days === 'number' ? ` within ${o.expiring_within_days} days` : ' soon';
  return section(`Certificates expiring${within} or expired`, table([
    {label: 'Asset', cell: (c) => assetLink(c.asset_id)},
    {label: 'Not valid after', cell: (c) => fmtTime(c.not_after)},
    {label: 'Left', class: 'num', field: 'days', cell: (c) => daysLeft(c.days)},
  ], o.certificates_expiring || [], {id: 'certificates-expiring', empty: `No certificate expires${within}.`}));
}

function exploited(o) {
  return section('Findings most likely to be exploited', table([
    {label: 'Asset', cell: (f) => assetLink(f.asset_id)},
    {label: 'Finding', field: 'title', cell: (f) => text(f.title)},
    {label: 'CVE', cell: (f) => text(f.cve_id)},
    {label: 'Probability', class: 'num', cell: (f) => fmtProbability(f.exploit_probability)},
    {label: 'Known exploited (KEV)', cell: (f) => (f.known_exploited ? 'yes' : 'no')},
  ], o.most_likely_exploited || [], {id: 'most-likely-exploited', empty: 'No findings.'}));
}

function deadlines(o) {
  return section('NIST IR 8547 deadlines', table([
    {label: 'Date', field: 'date', cell: (d) => text(d.date)},
    {label: 'What', cell: (d) => text(d.what)},
  ], o.deadlines || [], {id: 'deadlines'}));
}

export async function overviewView(ctx) {
  const o = await get('v1/overview');
  const tls = o.tls_endpoints || 0, pq = o.tls_with_post_quantum_group || 0;
  ctx.show(
    el('h1', {}, 'Estate overview'),
    el('div', {class: 'cards', id: 'overview-cards'},
      card('Assets', fmtInt(o.assets), el('a', {href: route('/assets')}, 'List the assets'), 'total-assets'),
      card('Critical or high risk', fmtInt(((o.by_risk_level || {}).CRITICAL || 0) + ((o.by_risk_level || {}).HIGH || 0)),
        'assets whose latest assessment is CRITICAL or HIGH', 'critical-high'),
      card('TLS endpoints offering a post-quantum group', fmtPercent(pq, tls),
        `${fmtInt(pq)} of ${fmtInt(tls)} TLS endpoints`, 'pq-share'),
      card('Certificates expiring or expired', fmtInt((o.certificates_expiring || []).length),
        typeof o.expiring_within_days === 'number' ? `within ${o.expiring_within_days} days` : null, 'expiring')),
    el('div', {class: 'columns'}, byRiskLevel(o), algorithms(o)),
    exploited(o),
    el('div', {class: 'columns'}, expiring(o), deadlines(o)));
}
