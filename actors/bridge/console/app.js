// The console's entry point: learns what this tab's key may do (GET
// /v1/whoami), asks for a key when the bridge needs one, and routes the
// hash (#/assets?sort=risk, #/assets/<id>, #/scans, ...) to a view. A view
// renders into <main> through a context that knows whether it is still the
// current page, so a late answer never draws over the next page.
import {ApiError, describe, get, onUnauthorized, setKey} from './api.js';
import {el, notice} from './dom.js';
import {assetsView} from './view_assets.js';
import {assetView} from './view_asset.js';
import {clusterView} from './view_cluster.js';
import {overviewView} from './view_overview.js';
import {scanView} from './view_scan.js';
import {scansView} from './view_scans.js';

const main = document.getElementById('view');
const who = document.getElementById('who');
let identity = null; // {role, keys_required, key_name}
let generation = 0; // bumped by every navigation
let refreshTimer = null;
let polls = 0; // timers set by the current page
const MAX_POLLS = 1800; // a page polls for an hour at most (2 s apart)

function can() {
  const role = identity ? identity.role : 'none';
  return {role, read: role !== 'none', admin: role === 'admin' || role === 'open'};
}

function parseHash() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const mark = hash.indexOf('?');
  const path = mark < 0 ? hash : hash.slice(0, mark);
  const params = new URLSearchParams(mark < 0 ? '' : hash.slice(mark + 1));
  const parts = path.split('/').filter((p) => p !== '');
  let id = null;
  try {
    id = parts.length > 1 ? decodeURIComponent(parts.slice(1).join('/')) : null;
  } catch (e) {
    id = parts.slice(1).join('/');
  }
  return {section: parts[0] || 'overview', id, params};
}

function pick(section, id) {
  if (section === 'overview') return overviewView;
  if (section === 'assets') return id === null ? assetsView : assetView;
  if (section === 'scans') return id === null ? scansView : scanView;
  if (section === 'cluster') return clusterView;
  return null;
}

function markNav(section) {
  for (const a of document.querySelectorAll('nav a[data-section]')) {
    if (a.dataset.section === section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function render() {
  const mine = ++generation;
  clearTimeout(refreshTimer);
  polls = 0;
  const {section, id, params} = parseHash();
  markNav(section);
  if (!identity || identity.role === 'none') return askForKey();
  const view = pick(section, id);
  const ctx = {
    id, params, can: can(),
    live: () => mine === generation,
    show(...nodes) {
      if (mine !== generation) return;
      main.replaceChildren(...nodes.flat().filter(Boolean));
    },
    /** Runs `fn` after `ms` while this is still the current page (one timer a page). */
    after(ms, fn) {
      if (mine !== generation || ++polls > MAX_POLLS) return;
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => { if (mine === generation) fn(); }, ms);
    },
  };
  if (!view) return ctx.show(el('h1', {}, 'Not found'), notice('There is no such page in the console.'));
  try {
    await view(ctx);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return;
    ctx.show(el('h1', {}, 'Something went wrong'), notice(describe(e), 'error'));
  }
}

function showIdentity() {
  const nodes = [];
  if (!identity) {
    nodes.push('');
  } else if (identity.role === 'open') {
    nodes.push(el('span', {id: 'role', 'data-role': 'open'}, 'No API keys: open on loopback'));
  } else if (identity.role === 'none') {
    nodes.push(el('span', {id: 'role', 'data-role': 'none'}, 'No key'));
  } else {
    nodes.push(el('span', {id: 'role', 'data-role': identity.role},
      `Key “${identity.key_name || ''}” (${identity.role === 'admin' ? 'admin' : 'read only'})`));
    nodes.push(el('button', {type: 'button', id: 'forget-key', onclick: forgetKey}, 'Forget key'));
  }
  who.replaceChildren(...nodes);
}

function forgetKey() {
  setKey('');
  identity = {role: 'none', keys_required: true};
  showIdentity();
  askForKey();
}

async function learnIdentity() {
  try {
    identity = await get('v1/whoami');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setKey('');
      identity = {role: 'none', keys_required: true, rejected: true};
    } else {
      throw e;
    }
  }
  showIdentity();
}

function askForKey() {
  ++generation;
  const input = el('input', {type: 'password', id: 'api-key', name: 'api-key', autocomplete: 'off', required: true, spellcheck: 'false'});
  const form = el('form', {id: 'key-form', class: 'key-form'},
    el('label', {for: 'api-key'}, 'API key'), input,
    el('button', {type: 'submit'}, 'Use this key'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setKey(input.value.trim());
    await start();
  });
  main.replaceChildren(
    el('h1', {}, 'An API key is needed'),
    identity && identity.rejected ? notice('The bridge does not know that key.', 'error') : null,
    el('p', {}, 'This bridge runs with API keys. The key is kept for this tab only (session storage) ',
      'and sent with each request; a read key shows the estate, an admin key can also start scans and schedules.'),
    form);
  input.focus();
}

async function start() {
  try {
    await learnIdentity();
  } catch (e) {
    main.replaceChildren(el('h1', {}, 'The bridge did not answer'), notice(describe(e), 'error'));
    return;
  }
  render();
}

onUnauthorized(() => {
  // A key refused mid-way (revoked, or the bridge restarted with other keys);
  // at the start, learnIdentity handles it.
  if (!identity || identity.role === 'none') return;
  setKey('');
  identity = {role: 'none', keys_required: true, rejected: true};
  showIdentity();
  askForKey();
});

window.addEventListener('hashchange', () => {
  window.scrollTo(0, 0); // a new page starts at its top
  render();
});
start();
