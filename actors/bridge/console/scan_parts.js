// Pieces the scan pages share: a job's progress, its report downloads
// (fetched with the tab's key, then saved as a file), and its status.
import {describe, download, scanPath} from './api.js';
import {el, fmtInt, notice} from './dom.js';

export function progress(job) {
  const p = job.progress || {};
  const total = Math.max(1, Number(p.total) || 0), done = Math.min(total, Number(p.done) || 0);
  return el('span', {class: 'progress'},
    el('progress', {max: total, value: done, 'aria-label': 'targets done'}),
    el('span', {class: 'progress-text', 'data-field': 'progress'}, ` ${fmtInt(done)} / ${fmtInt(total)}`));
}

export function statusText(job) {
  const s = String(job.status || '');
  return el('span', {class: 'status status-' + s.replace(/[^a-z]/g, ''), 'data-field': 'status'}, s || '—');
}

/** CBOM and SARIF buttons for a finished job; a note for others. */
export function downloads(job) {
  if (job.status !== 'done') return el('span', {class: 'muted'}, job.status === 'failed' ? 'no reports' : 'when done');
  const failed = el('span', {class: 'download-error'});
  const button = (kind, label, suffix) => el('button', {
    type: 'button', class: 'download', 'data-download': kind,
    onclick: async () => {
      failed.replaceChildren();
      try {
        await download(scanPath(job.id, '/' + kind), `${job.id}.${suffix}`);
      } catch (e) {
        failed.replaceChildren(notice(describe(e), 'error'));
      }
    },
  }, label);
  return el('span', {class: 'downloads'}, button('cbom', 'CBOM', 'cdx.json'), ' ', button('sarif', 'SARIF', 'sarif'), failed);
}

export function running(job) {
  return job.status === 'queued' || job.status === 'running';
}

/** Targets typed one a line (or separated by commas or spaces). */
export function targetList(textValue) {
  return textValue.split(/[\s,]+/).map((t) => t.trim()).filter(Boolean);
}
