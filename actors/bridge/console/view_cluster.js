// #/cluster : the bridge's status and roles (GET /status, /v1/health) and,
// with an admin key, the cluster's nodes with their roles, state and load and
// its dead letters (GET /v1/cluster).
import {get} from './api.js';
import {el, facts, fmtInt, fmtTime, notice, section, table, text} from './dom.js';

function uptime(seconds) {
  if (typeof seconds !== 'number') return '—';
  const s = Math.floor(seconds), d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  return (d ? `${d} d ` : '') + (d || h ? `${h} h ` : '') + `${m} min ${s % 60} s`;
}

function rolesTable(roles) {
  const rows = Object.entries(roles || {}).map(([name, st]) => ({name, st: st || {}}));
  return table([
    {label: 'Role', field: 'role', cell: (r) => r.name},
    {label: 'State', field: 'state', cell: (r) => text(r.st.state)},
    {label: 'Reason', cell: (r) => text(r.st.reason)},
  ], rows, {id: 'roles-table', empty: 'No roles reported.'});
}

function nodesTable(nodes) {
  return table([
    {label: 'Node', field: 'id', cell: (n) => text(n.id)},
    {label: 'Address', cell: (n) => text(n.address)},
    {label: 'State', field: 'state', cell: (n) => text(n.state)},
    {label: 'Roles', field: 'roles', cell: (n) => text((n.roles || []).map(String).join(', '))},
    {label: 'Roles down', cell: (n) => ((n.roles_down || []).length ? n.roles_down.map(String).join(', ') : 'none')},
    {label: 'Heartbeat age', class: 'num', cell: (n) => `${fmtInt(n.heartbeat_age_ms)} ms`},
    {label: 'Tasks done', class: 'num', cell: (n) => fmtInt(n.tasks_done)},
    {label: 'In flight', class: 'num', cell: (n) => fmtInt(n.tasks_in_flight)},
    {label: 'Restarts', class: 'num', cell: (n) => fmtInt(n.restarts)},
  ], nodes || [], {id: 'nodes-table', empty: 'No nodes.'});
}

function deadLetters(list) {
  return table([
    {label: 'Task', cell: (d) => text(d.task_id)},
    {label: 'Role', cell: (d) => text(d.role)},
    {label: 'Reason', cell: (d) => text(d.reason)},
    {label: 'Attempts', class: 'num', cell: (d) => fmtInt(d.attempts)},
    {label: 'Failed on', cell: (d) => text((d.failed_on || []).map(String).join(', '))},
  ], list || [], {id: 'dead-letters', empty: 'No dead letters: no task was set aside.'});
}

export async function clusterView(ctx) {
  const [status, health, cluster] = await Promise.all([
    get('status'),
    get('v1/health'),
    ctx.can.admin ? get('v1/cluster') : Promise.resolve(null),
  ]);
  ctx.show(
    el('h1', {}, 'Cluster'),
    cluster
      ? [section(`Nodes (${fmtInt((cluster.nodes || []).length)})`, nodesTable(cluster.nodes)),
        section('Dead letters', deadLetters(cluster.dead_letters))]
      : section('Nodes', notice('The cluster’s nodes need an admin key.')),
    section('This bridge',
      facts([
        ['Service', text(status.service)],
        ['Version', text(status.version), 'version'],
        ['Status', text(status.status), 'status'],
        ['Health', `${text(health.status)}${health.degraded ? ' (degraded)' : ''}`, 'health'],
        ['Cluster id', text(status.cluster_id)],
        ['Started', fmtTime(status.started_at)],
        ['Uptime', uptime(status.uptime_seconds)],
      ], {id: 'bridge-facts'}),
      el('h3', {}, 'Roles on this node'), rolesTable(health.roles)));
}
