// #/scans : scan jobs (GET /v1/scans, newest first, paged by the server) with
// their progress and reports, a form to start one, and the schedules that
// start them. Any key reads them; starting scans and changing schedules need
// an admin key, so the forms (and Delete) are offered only with one. The jobs
// refresh themselves while one runs.
import {describe, get, post, remove} from './api.js';
import {el, fmtInt, fmtTime, notice, route, scanHref, section, table, text} from './dom.js';
import {downloads, progress, running, statusText, targetList} from './scan_parts.js';

const PAGE = 50;
const REFRESH_MS = 2000;

function newScanForm() {
  const targets = el('textarea', {id: 'scan-targets', name: 'targets', rows: 3, required: true,
    placeholder: 'tls://127.0.0.1:8443\nssh://10.0.0.5:22'});
  const result = el('div', {class: 'form-result'});
  const form = el('form', {id: 'new-scan', class: 'stack'},
    el('label', {for: 'scan-targets'}, 'Targets, one a line (tls://host:port, ssh://host:port, file:///path)'), targets,
    el('div', {}, el('button', {type: 'submit'}, 'Start the scan')), result);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    result.replaceChildren();
    try {
      const job = await post('v1/scans', {targets: targetList(targets.value)});
      location.hash = scanHref(job.id);
    } catch (e) {
      result.replaceChildren(notice(describe(e), 'error'));
    }
  });
  return section('Start a scan', form);
}

function firstTargets(job) {
  const shown = (job.targets || []).map(String);
  const total = (job.progress || {}).total || 0;
  const more = total > shown.length ? ` and ${fmtInt(total - shown.length)} more` : '';
  return shown.length ? shown.join(', ') + more : '—';
}

function jobsTable(page) {
  return table([
    {label: 'Job', field: 'id', cell: (j) => el('a', {href: scanHref(j.id), class: 'scan-link'}, String(j.id))},
    {label: 'Status', cell: statusText},
    {label: 'Progress', cell: progress},
    {label: 'Created', cell: (j) => fmtTime(j.created_at)},
    {label: 'Targets', cell: firstTargets},
    {label: 'Schedule', cell: (j) => text(j.schedule)},
    {label: 'Reports', cell: downloads},
    {label: 'Error', cell: (j) => text(j.error)},
  ], page.scans || [], {id: 'scans-table', empty: 'No scan jobs yet.'});
}

function pager(offset, page) {
  const last = offset + (page.scans || []).length;
  return el('div', {class: 'pager'},
    el('span', {id: 'scans-range'}, `Jobs ${fmtInt(page.total ? offset + 1 : 0)}–${fmtInt(last)} of ${fmtInt(page.total)}`),
    offset > 0 ? el('a', {href: route('/scans', {offset: Math.max(0, offset - PAGE)})}, '← Newer') : null,
    last < page.total ? el('a', {href: route('/scans', {offset: last})}, 'Older →') : null);
}

function scheduleForm(refresh) {
  const name = el('input', {id: 'schedule-name', name: 'name', placeholder: 'nightly', autocomplete: 'off'});
  const targets = el('textarea', {id: 'schedule-targets', name: 'targets', rows: 2, required: true, placeholder: 'tls://127.0.0.1:8443'});
  const every = el('input', {id: 'schedule-every', name: 'every', placeholder: '6h', autocomplete: 'off'});
  const cron = el('input', {id: 'schedule-cron', name: 'cron', placeholder: '0 3 * * *', autocomplete: 'off'});
  const jitter = el('input', {id: 'schedule-jitter', name: 'jitter', placeholder: '10m', autocomplete: 'off'});
  const result = el('div', {class: 'form-result'});
  const form = el('form', {id: 'new-schedule', class: 'stack'},
    el('label', {for: 'schedule-name'}, 'Name (optional)'), name,
    el('label', {for: 'schedule-targets'}, 'Targets, one a line'), targets,
    el('div', {class: 'row'},
      el('span', {}, el('label', {for: 'schedule-every'}, 'Every (e.g. 6h, 1d)'), every),
      el('span', {}, el('label', {for: 'schedule-cron'}, 'or cron (minute hour day month weekday, UTC)'), cron),
      el('span', {}, el('label', {for: 'schedule-jitter'}, 'Jitter (optional)'), jitter)),
    el('div', {}, el('button', {type: 'submit'}, 'Add the schedule')), result);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    result.replaceChildren();
    const body = {targets: targetList(targets.value)};
    if (name.value.trim()) body.name = name.value.trim();
    if (every.value.trim()) body.every = every.value.trim();
    if (cron.value.trim()) body.cron = cron.value.trim();
    if (jitter.value.trim()) body.jitter = jitter.value.trim();
    try {
      await post('v1/schedules', body);
      form.reset();
      refresh();
    } catch (e) {
      result.replaceChildren(notice(describe(e), 'error'));
    }
  });
  return form;
}

function schedulesTable(list, admin, refresh) {
  const columns = [
    {label: 'Name', field: 'name', cell: (s) => text(s.name)},
    {label: 'Targets', cell: (s) => text((s.targets || []).map(String).join(', '))},
    {label: 'When', cell: (s) => (s.every ? `every ${s.every}` : s.cron ? `cron ${s.cron}` : '—') + (s.jitter ? ` (jitter ${s.jitter})` : '')},
    {label: 'Next run', cell: (s) => fmtTime(s.next_run)},
    {label: 'Last run', cell: (s) => (s.last_run
      ? el('span', {}, el('a', {href: scanHref(s.last_run.scan_id)}, String(s.last_run.scan_id)),
        ` started ${fmtTime(s.last_run.started_at)}${s.last_run.status ? ', ' + s.last_run.status : ''}`)
      : 'not yet')},
  ];
  if (admin) {
    columns.push({label: '', cell: (s) => el('button', {
      type: 'button', class: 'danger', 'data-delete': s.id,
      onclick: async (event) => {
        event.target.disabled = true;
        try {
          await remove('v1/schedules/' + encodeURIComponent(s.id));
        } finally {
          refresh();
        }
      },
    }, 'Delete')});
  }
  return table(columns, list, {id: 'schedules-table', empty: 'No schedules.'});
}

export async function scansView(ctx) {
  const offset = Math.max(0, Number.parseInt(ctx.params.get('offset') || '0', 10) || 0);
  const jobs = el('div', {id: 'jobs'});
  const schedules = el('div', {id: 'schedules'});
  // The jobs refill themselves while one runs; the forms stay as typed.
  const fillJobs = async () => {
    try {
      const page = await get('v1/scans', {offset, limit: PAGE});
      if (!ctx.live()) return;
      jobs.replaceChildren(pager(offset, page), jobsTable(page));
      if ((page.scans || []).some(running)) ctx.after(REFRESH_MS, fillJobs);
    } catch (e) {
      jobs.replaceChildren(notice(describe(e), 'error'));
    }
  };
  const fillSchedules = async () => {
    try {
      const list = await get('v1/schedules');
      schedules.replaceChildren(schedulesTable(list.schedules || [], ctx.can.admin, fillSchedules));
    } catch (e) {
      schedules.replaceChildren(notice(describe(e), 'error'));
    }
  };
  await Promise.all([fillJobs(), fillSchedules()]);
  const admin = ctx.can.admin;
  ctx.show(
    el('h1', {}, 'Scans'),
    admin ? newScanForm() : notice('Starting scans and changing schedules need an admin key; this key reads them.'),
    section('Scan jobs', jobs),
    section('Schedules', schedules, admin ? [el('h3', {}, 'Add a schedule'), scheduleForm(fillSchedules)] : null));
}
