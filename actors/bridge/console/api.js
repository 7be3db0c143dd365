// The bridge's API as the console calls it: relative to the page (so the
// console works at /ui/ and under a /quantum/ui/ proxy prefix alike), with the
// API key of this tab (sessionStorage: gone when the tab closes) as a Bearer
// token. Errors come back as ApiError with the API's code and message.

const KEY = 'qscan.console.key';

/** The bridge's root: the folder above the console's. */
export const base = new URL('../', location.href.split('#')[0]);

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** A sentence for an error, with the API's status and code when it has them. */
export function describe(e) {
  if (e instanceof ApiError) return `${e.message} (${e.status ? 'HTTP ' + e.status + ', ' : ''}${e.code})`;
  return String(e && e.message ? e.message : e);
}

export function storedKey() {
  try {
    return sessionStorage.getItem(KEY) || '';
  } catch (e) {
    return '';
  }
}

export function setKey(secret) {
  if (secret) sessionStorage.setItem(KEY, secret);
  else sessionStorage.removeItem(KEY);
}

let unauthorized = () => {};
/** Called on every 401 (the key is missing, unknown or was revoked). */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

export function apiUrl(path, params) {
  const u = new URL(path.replace(/^\/+/, ''), base);
  for (const [name, value] of Object.entries(params || {}))
    if (value !== undefined && value !== null && value !== '') u.searchParams.set(name, String(value));
  return u;
}

/** 'v1/assets/<id><tail>' with the id percent-encoded (slashes too). */
export function assetPath(id, tail = '') {
  return 'v1/assets/' + encodeURIComponent(id) + tail;
}

export function scanPath(id, tail = '') {
  return 'v1/scans/' + encodeURIComponent(id) + tail;
}

async function send(method, path, {params, body, accept} = {}) {
  const headers = {Accept: accept || 'application/json'};
  const key = storedKey();
  if (key) headers.Authorization = 'Bearer ' + key;
  const init = {method, headers, credentials: 'omit', cache: 'no-store', redirect: 'error'};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(apiUrl(path, params), init);
  } catch (e) {
    throw new ApiError(0, 'unreachable', 'the bridge did not answer (' + e.message + ')');
  }
  if (res.status === 401) {
    await drain(res);
    unauthorized();
    throw new ApiError(401, 'unauthorized', 'this needs an API key');
  }
  return res;
}

// Reads an answer's body to its end: a body left unread keeps the browser's load
// open until it is collected, which it then reports as aborted.
async function drain(res) {
  try {
    await res.arrayBuffer();
  } catch (e) { /* nothing to read */ }
}

async function errorOf(res) {
  let code = 'http_' + res.status, message = res.statusText || 'request failed';
  try {
    const data = await res.json();
    if (data && data.error) {
      code = String(data.error.code || code);
      message = String(data.error.message || message);
    }
  } catch (e) { /* not JSON: keep the status line */ }
  return new ApiError(res.status, code, message);
}

async function call(method, path, options) {
  const res = await send(method, path, options);
  if (!res.ok) throw await errorOf(res);
  if (res.status === 204) {
    await drain(res);
    return null;
  }
  return res.json();
}

export const get = (path, params) => call('GET', path, {params});
export const post = (path, body) => call('POST', path, {body});
export const remove = (path) => call('DELETE', path);

/** Fetches a report with the key and hands it to the browser as a file. */
export async function download(path, filename) {
  const res = await send('GET', path, {accept: '*/*'});
  if (!res.ok) throw await errorOf(res);
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.setAttribute('href', href);
  a.setAttribute('download', filename);
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60000);
}
