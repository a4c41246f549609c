// The console's shell: the API key (entered once, kept in sessionStorage, sent as
// "Authorization: Bearer"), the hash router (#/models, #/monitoring, ..., #/jobs), the messages area and
// the confirmation dialog. Each page is a module with render(view) that may return a cleanup.
import { render as models } from './pages/models.js';
import { render as monitoring } from './pages/monitoring.js';
import { render as experiments } from './pages/experiments.js';
import { render as audience } from './pages/audience.js';
import { render as playtests } from './pages/playtests.js';
import { render as jobs } from './pages/jobs.js';

const pages = { models, monitoring, experiments, audience, playtests, jobs };
const titles = {
  models: 'Models', monitoring: 'Monitoring', experiments: 'Experiments', audience: 'Audience',
  playtests: 'Playtests', jobs: 'Jobs',
};
const keyStorage = 'playsight.apiKey';

// status: the HTTP status (0: unreachable); said: the service's own "error" text, if any.
export class ApiError extends Error {
  constructor(status, message, said = '') {
    super(message);
    this.status = status;
    this.said = said;
  }
}

export function apiKey() {
  return sessionStorage.getItem(keyStorage) || '';
}

// fetch() of the service's JSON API; throws ApiError with a message a person can act on.
export async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (apiKey()) headers.Authorization = `Bearer ${apiKey()}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, `The service is unreachable at ${location.origin} (is playsight serve ` +
      'running?). Retry when it is back.');
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const said = data && data.error ? data.error : response.statusText;
    const prefix = {
      401: 'Not signed in (401)', 403: 'Not allowed (403)', 404: 'Not found (404)',
    }[response.status] || `The request failed (${response.status})`;
    throw new ApiError(response.status, `${prefix}: ${method} ${path}: ${said}`,
      data && data.error ? data.error : '');
  }
  return data;
}

// Messages: kind "error" (stays until dismissed or the page changes), "ok" or "info".
export function showMessage(text, kind = 'error') {
  const area = document.getElementById('messages');
  const box = document.createElement('div');
  box.className = `message ${kind}`;
  box.textContent = text;
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'secondary';
  close.textContent = 'Dismiss';
  close.addEventListener('click', () => box.remove());
  box.append(close);
  area.append(box);
  return box;
}

export function clearMessages() {
  document.getElementById('messages').replaceChildren();
}

// The confirmation dialog: resolves true when confirmed. body: a Node with the dialog's content.
export function confirmDialog(title, body, confirmText = 'Confirm') {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-body').replaceChildren(body);
  document.getElementById('confirm-ok').textContent = confirmText;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'),
      { once: true });
  });
}

let who = null;  // {name, role} of the key in use, or null

export function currentRole() {
  return who ? who.role : null;
}

async function checkKey() {
  const form = document.getElementById('key-form');
  const status = document.getElementById('key-status');
  who = null;
  if (apiKey()) {
    try {
      who = await api('/v1/whoami');
    } catch (error) {
      if (error.status === 401) sessionStorage.removeItem(keyStorage);
      showMessage(error.message);
    }
  }
  form.hidden = Boolean(who && apiKey());
  status.hidden = !form.hidden;
  if (who) {
    document.getElementById('key-who').textContent =
      `key ${who.name ?? '(none needed)'} · role ${who.role}`;
  }
}

let cleanup = null;

async function route() {
  if (cleanup) cleanup();
  cleanup = null;
  clearMessages();
  const name = (location.hash.replace(/^#\/?/, '').split('/')[0]) || 'models';
  const page = pages[name] ? name : 'models';
  for (const link of document.querySelectorAll('nav a[data-page]')) {
    if (link.dataset.page === page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${titles[page]} · playsight console`;
  const main = document.getElementById('main');
  main.replaceChildren();
  const heading = document.createElement('h2');
  heading.textContent = titles[page];
  main.append(heading);
  if (!who) {
    const box = document.createElement('p');
    box.className = 'empty';
    box.textContent = 'Enter an API key above to see this page (keys come from ' +
      '`playsight serve keys add NAME --role predict|deploy|admin`).';
    main.append(box);
    return;
  }
  const view = document.createElement('div');
  view.id = `page-${page}`;
  main.append(view);
  try {
    cleanup = (await pages[page](view)) || null;
  } catch (error) {
    showMessage(error.message || String(error));
  }
}

async function start() {
  document.getElementById('key-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = document.getElementById('key-input');
    const key = input.value.trim();
    if (!key) return;
    sessionStorage.setItem(keyStorage, key);
    input.value = '';
    clearMessages();
    await checkKey();
    await route();
  });
  document.getElementById('key-forget').addEventListener('click', async () => {
    sessionStorage.removeItem(keyStorage);
    await checkKey();
    await route();
    document.getElementById('key-input').focus();
  });
  window.addEventListener('hashchange', () => {
    route();
    document.getElementById('main').focus();
  });
  // A service without access control answers without a key.
  if (!apiKey()) {
    try {
      const response = await fetch('/healthz');
      if (!response.ok) throw new Error();
    } catch {
      showMessage(`The service is unreachable at ${location.origin}. Reload when it is back.`);
    }
  }
  await checkKey();
  await route();
}

start();
