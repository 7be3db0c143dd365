// #/scans/<id> : one scan job (GET /v1/scans/{id}): its status and progress,
// refreshed while it runs, its reports, and each target's result, a target's
// asset id being the target itself.
import {get, scanPath} from './api.js';
import {assetLink, el, facts, fmtInt, fmtScore, fmtTime, levelBadge, route, section, table, text} from './dom.js';
import {downloads, progress, running, statusText} from './scan_parts.js';

const REFRESH_MS = 2000;
const RESULTS_PAGE = 200;

function resultsTable(results) {
  return table([
    {label: 'Target', field: 'target', cell: (r) => (r.error ? text(r.target) : assetLink(r.target))},
    {label: 'Kind', cell: (r) => text(r.kind)},
    {label: 'Address', cell: (r) => text(r.address)},
    {label: 'Quantum risk level', field: 'risk_level', cell: (r) => (r.error ? '—' : levelBadge(r.risk_level))},
    {label: 'Quantum risk', class: 'num', cell: (r) => (r.error ? '—' : fmtScore(r.quantum_risk_score))},
    {label: 'Findings', class: 'num', field: 'findings', cell: (r) => fmtInt((r.findings || []).length)},
    {label: 'Threat', class: 'num', cell: (r) => fmtScore(((r.analysis || {}).threat || {}).threat_score)},
    {label: 'Error', cell: (r) => text(r.error)},
  ], results, {id: 'scan-results', empty: 'No results yet.'});
}

export async function scanView(ctx) {
  const job = await get(scanPath(ctx.id), {limit: RESULTS_PAGE});
  const request = job.request || {};
  ctx.show(
    el('p', {class: 'crumbs'}, el('a', {href: route('/scans')}, 'Scans'), ' / '),
    el('h1', {}, el('span', {class: 'muted'}, 'Scan job '), el('code', {id: 'scan-id'}, String(job.id))),
    section('Job',
      facts([
        ['Status', statusText(job)],
        ['Progress', progress(job)],
        ['Created', fmtTime(job.created_at)],
        ['Updated', fmtTime(job.updated_at)],
        job.error ? ['Error', text(job.error), 'error'] : null,
        ['Targets', text((request.targets || []).map(String).join(', '))],
        ['Reports', downloads(job)],
      ], {id: 'scan-facts'})),
    section('Results', resultsTable(job.results || []),
      job.next ? el('p', {class: 'muted'}, `The first ${RESULTS_PAGE} results are shown; the reports hold them all.`) : null));
  if (running(job)) ctx.after(REFRESH_MS, () => scanView(ctx).catch(() => {}));
}
