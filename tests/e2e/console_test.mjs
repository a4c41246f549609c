// Drives the web console in Debian chromium (headless) through playwright-core; run by
// console_test.sh, which starts the service. Checks, failing on the first that does not hold:
//   - every page loads with a deploy key, on a laptop (1366x768) and a wide (1920x1080) screen,
//     without console errors, and shows its data (tables, charts); screenshots of each;
//   - deploy by clicking (dialog, confirm) moves production to version 2 on the Models page and in
//     the API; rollback by keyboard moves it back to 1;
//   - with a read-only key (role predict) the deploy and rollback buttons are absent, and a direct
//     POST to deploy gets 403 (401 without a key);
//   - the audience page's live view follows a seconds.jsonl that grows;
//   - a request that cannot reach the service shows a visible message;
//   - the Jobs page starts `generate` from the form made of its declared options (submitted by
//     keyboard), the job appears, reaches "succeeded" and its log says what it generated; an
//     ill-typed option shows the service's 400 next to the form and highlights the input; a
//     service without job routes gets a plain sentence instead of a failure.
import { chromium } from 'playwright-core';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
for (const name of ['url', 'deploy-key', 'read-key', 'features', 'stream', 'stream-source', 'screenshots'])
  if (!args[name]) throw new Error(`missing --${name}`);
const base = args.url;
const timeout = 15000;

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
  console.log(`ok: ${message}`);
}

async function request(path, { key, method = 'GET', body } = {}) {
  const headers = {};
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: response.status, json };
}

// Predictions for some players, so that monitoring has requests, latencies and drift to show.
async function sendPredictions() {
  const alias = await request('/v1/models/spend/aliases/production', { key: args['read-key'] });
  check(alias.status === 200, 'the service serves spend/production');
  const features = alias.json.features;
  const lines = readFileSync(args.features, 'utf8').split('\n').slice(0, 1201);
  const header = lines[0].split(',');
  const players = lines.slice(1).filter((l) => l).map((line) => {
    const cells = line.split(',');
    const values = {};
    for (const name of features) {
      const cell = cells[header.indexOf(name)];
      values[name] = cell === '' || cell === undefined ? null : Number(cell);
    }
    return { player_id: cells[0], features: values };
  });
  for (let start = 0; start < players.length; start += 200) {
    const answer = await request('/v1/models/spend/aliases/production/predict',
      { key: args['read-key'], method: 'POST', body: { players: players.slice(start, start + 200) } });
    check(answer.status === 200, `predictions for players ${start}..${start + 199}`);
  }
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const viewports = { laptop: { width: 1366, height: 768 }, wide: { width: 1920, height: 1080 } };

// A page with its console errors collected; signed in with `key`.
async function openConsole(key, viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.goto(`${base}/console/#/models`);
  await page.fill('#key-input', key);
  await page.press('#key-input', 'Enter');
  await page.waitForSelector('#key-status:not([hidden])');
  return page;
}

async function visit(page, name, ready) {
  await page.click(`nav a[data-page="${name}"]`);
  await page.waitForSelector(`#page-${name}`);
  await ready(page);
}

async function aliasVersion(page) {
  return (await page.textContent('[data-model="spend"] [data-alias-version="production"]')).trim();
}

async function apiProductionVersion(key) {
  const detail = await request('/v1/models/spend', { key });
  const served = await request('/v1/models/spend/aliases/production', { key });
  return [detail.json.aliases.find((a) => a.alias === 'production').version, served.json.version];
}

const readyChecks = {
  models: async (page) => {
    await page.waitForSelector('[data-model="spend"] [data-alias-version="production"]');
    check((await page.locator('[data-model="spend"] table').first().textContent()).includes('production'),
      'Models: the aliases table shows production');
  },
  monitoring: async (page) => {
    await page.waitForFunction(() => document.querySelectorAll('#page-monitoring canvas').length >= 3);
    await page.waitForSelector('#page-monitoring [data-drift-model="spend/production"]');
    check(true, 'Monitoring: request, latency and drift charts and the drift table');
  },
  experiments: async (page) => {
    await page.waitForFunction(() => document.querySelectorAll('#page-experiments canvas').length >= 3);
    check((await page.textContent('#page-experiments')).includes('nudge'), 'Experiments: the groups of the effect report');
  },
  audience: async (page) => {
    await page.waitForFunction(() => document.querySelectorAll('#page-audience canvas').length >= 2);
    check((await page.textContent('#page-audience')).includes('Viewers'), 'Audience: the summary of vtest.avi');
  },
  playtests: async (page) => {
    await page.waitForFunction(() => document.querySelectorAll('#page-playtests canvas').length >= 1);
    check((await page.textContent('#page-playtests')).includes('Moments'), 'Playtests: the timeline and its moments');
  },
  jobs: async (page) => {
    await page.waitForSelector('#job-task option[value="generate"]', { state: 'attached' });
    await page.waitForSelector('#jobs-list table, #jobs-list .empty');
    check(true, 'Jobs: the task picker and the list of jobs');
  },
};

// The Jobs page: start `generate` by the form, follow it to "succeeded" and read its log; an
// ill-typed option answered 400 is shown and its input highlighted.
async function jobsChecks() {
  const page = await openConsole(args['deploy-key'], viewports.laptop);
  await visit(page, 'jobs', readyChecks.jobs);
  const groups = await page.$$eval('#job-task optgroup', (list) => list.map((g) => g.label));
  check(groups.length > 1 && groups.includes('gamelog'), `Jobs: the tasks are grouped by part (${groups.join(', ')})`);
  await page.selectOption('#job-task', 'generate');
  await page.waitForSelector('#job-form[data-task="generate"]');
  check(await page.getAttribute('[data-option="players"]', 'type') === 'number', 'Jobs: players (INT) is a number input');
  check(await page.getAttribute('[data-option="out"]', 'required') !== null, 'Jobs: out is marked required');
  check(await page.getAttribute('[data-option="force"]', 'type') === 'checkbox', 'Jobs: force (FLAG) is a checkbox');
  check(await page.evaluate(() => document.querySelector('[data-option="progress"]').tagName) === 'SELECT', 'Jobs: progress (CHOICE) is a select');
  check(await page.getAttribute('[data-option="cutoff"]', 'type') === 'date', 'Jobs: cutoff (YYYY-MM-DD) is a date input');
  check(await page.inputValue('[data-limit="memory"]') === '1G' && await page.inputValue('[data-limit="wall"]') === '30m',
    'Jobs: the limits default to 1G and 30m');
  await page.fill('[data-option="out"]', 'logs');
  await page.fill('[data-option="players"]', '200');
  await page.press('[data-option="players"]', 'Enter');  // submit by keyboard
  await page.waitForSelector('#job-detail[data-job-id]');
  const id = await page.getAttribute('#job-detail', 'data-job-id');
  await page.waitForSelector(`#jobs-list [data-job-open="${id}"]`);
  check(true, `Jobs: job ${id} appears in the list`);
  await page.waitForFunction((jobId) => document.querySelector(`#jobs-list [data-job-state="${jobId}"]`)?.textContent === 'succeeded',
    id, { timeout: 120000 });
  check(true, `Jobs: job ${id} reached "succeeded"`);
  await page.click(`#jobs-list [data-job-open="${id}"]`);
  await page.waitForFunction(() => (document.querySelector('#job-log')?.textContent || '').includes('Generated 200 players'));
  check(true, 'Jobs: the log says "Generated 200 players"');
  const job = await request(`/v1/jobs/${id}`, { key: args['deploy-key'] });
  check(job.json.state === 'succeeded' && job.json.artifacts.includes('logs'), `API: job ${id} succeeded and wrote logs`);
  check(page.errors.length === 0, `Jobs: no console errors (${page.errors.join(' | ')})`);
  await page.screenshot({ path: join(args.screenshots, 'jobs-log-laptop.png'), fullPage: true });

  // A number input takes no letters: make it a text input, as a browser without number inputs
  // would have it, so that the service's own check answers.
  await page.evaluate(() => { document.querySelector('[data-option="players"]').type = 'text'; });
  await page.fill('[data-option="players"]', 'abc');
  await page.click('#job-submit');
  await page.waitForSelector('#job-form-error:not([hidden])');
  const said = await page.textContent('#job-form-error');
  check(said.startsWith('options.players: expected a whole number'), `Jobs: the 400 is shown next to the form (${said})`);
  check(await page.getAttribute('[data-option="players"]', 'aria-invalid') === 'true', 'Jobs: the players input is highlighted');
  check(await page.evaluate(() => document.activeElement.dataset.option) === 'players', 'Jobs: the focus moves to the named input');
  const listed = await request('/v1/jobs', { key: args['deploy-key'] });
  check(listed.json.jobs.length === 1, 'API: the refused submission started no job');
  // The browser logs the 400 answer itself; nothing else may be logged.
  const others = page.errors.filter((e) => !/status of 400/.test(e));
  check(others.length === 0, `Jobs: no console errors but the 400 (${others.join(' | ')})`);
  await page.screenshot({ path: join(args.screenshots, 'jobs-error-laptop.png'), fullPage: true });
  await page.context().close();

  // A service without job routes (its OpenAPI document lists none).
  const bare = await openConsole(args['deploy-key'], viewports.laptop);
  await bare.route('**/openapi.json', (route) => route.fulfill({ json: { openapi: '3.0.3', paths: {} } }));
  await bare.click('nav a[data-page="jobs"]');
  await bare.waitForSelector('#page-jobs .empty');
  check((await bare.textContent('#page-jobs')).includes('This service runs no jobs (start it with --jobs FOLDER)'),
    'Jobs: without a job runner the page says so');
  check(bare.errors.length === 0, `Jobs without a runner: no console errors (${bare.errors.join(' | ')})`);
  await bare.context().close();
}

try {
  await sendPredictions();

  // --- a read-only key ---
  const reader = await openConsole(args['read-key'], viewports.laptop);
  await visit(reader, 'models', readyChecks.models);
  check(await reader.locator('button[data-action]').count() === 0, 'read-only key: no deploy or rollback buttons');
  check(await reader.locator('text=deploy role').first().isVisible(), 'read-only key: the page says the deploy role is needed');
  const refused = await request('/v1/models/spend/aliases/production/deploy',
    { key: args['read-key'], method: 'POST', body: { version: 2 } });
  check(refused.status === 403, `read-only key: POST deploy answers 403 (${refused.json && refused.json.error})`);
  const refusedRollback = await request('/v1/models/spend/aliases/production/rollback', { key: args['read-key'], method: 'POST' });
  check(refusedRollback.status === 403, 'read-only key: POST rollback answers 403');
  const anonymous = await request('/v1/models/spend/aliases/production/deploy', { method: 'POST', body: { version: 2 } });
  check(anonymous.status === 401, 'no key: POST deploy answers 401');
  check(reader.errors.length === 0, `read-only key: no console errors (${reader.errors.join(' | ')})`);
  await reader.screenshot({ path: join(args.screenshots, 'models-read-only-laptop.png'), fullPage: true });
  await reader.context().close();

  // --- a deploy key: deploy by clicking, rollback by keyboard ---
  const deployer = await openConsole(args['deploy-key'], viewports.laptop);
  await visit(deployer, 'models', readyChecks.models);
  check(await aliasVersion(deployer) === '1', 'Models: production is at version 1');
  await deployer.click('[data-model="spend"] button[data-action="deploy"][data-alias="production"]');
  await deployer.waitForSelector('dialog#confirm[open]');
  await deployer.selectOption('#deploy-version', '2');
  await deployer.click('#confirm-ok');
  await deployer.waitForFunction(() => document.querySelector('[data-model="spend"] [data-alias-version="production"]')?.textContent.trim() === '2');
  check(true, 'Models: after deploy by clicking, production shows version 2');
  check((await deployer.textContent('#messages')).includes('Deployed'), 'Models: the deploy result is shown');
  let [registryVersion, servedVersion] = await apiProductionVersion(args['read-key']);
  check(registryVersion === 2 && servedVersion === 2, `API: production points at and serves version 2 (${registryVersion}, ${servedVersion})`);
  check((await deployer.textContent('[data-model="spend"]')).includes('key:deployer'), 'Models: the audit log names the deploying key');
  await deployer.screenshot({ path: join(args.screenshots, 'models-after-deploy-laptop.png'), fullPage: true });

  await deployer.focus('[data-model="spend"] button[data-action="rollback"][data-alias="production"]');
  await deployer.keyboard.press('Enter');
  await deployer.waitForSelector('dialog#confirm[open]');
  await deployer.keyboard.press('Tab');  // from Cancel (focused first) to Roll back
  check(await deployer.evaluate(() => document.activeElement.id) === 'confirm-ok', 'keyboard: Tab reaches the confirm button');
  await deployer.keyboard.press('Enter');
  await deployer.waitForFunction(() => document.querySelector('[data-model="spend"] [data-alias-version="production"]')?.textContent.trim() === '1');
  check(true, 'Models: after rollback by keyboard, production shows version 1');
  [registryVersion, servedVersion] = await apiProductionVersion(args['read-key']);
  check(registryVersion === 1 && servedVersion === 1, `API: production points at and serves version 1 again (${registryVersion}, ${servedVersion})`);
  check(deployer.errors.length === 0, `deploy key: no console errors (${deployer.errors.join(' | ')})`);
  await deployer.context().close();

  // --- jobs: start a task, follow it, its log; a 400 naming the option ---
  await jobsChecks();

  // --- every page, both screens ---
  for (const [screen, viewport] of Object.entries(viewports)) {
    const page = await openConsole(args['deploy-key'], viewport);
    for (const [name, ready] of Object.entries(readyChecks)) {
      await visit(page, name, ready);
      await page.screenshot({ path: join(args.screenshots, `${name}-${screen}.png`), fullPage: true });
    }
    check(page.errors.length === 0, `${screen}: every page without console errors (${page.errors.join(' | ')})`);
    await page.context().close();
  }

  // --- the live view of a stream being analysed ---
  const live = await openConsole(args['deploy-key'], viewports.laptop);
  await visit(live, 'audience', readyChecks.audience);
  await live.selectOption('#report-picker', 'stream');
  await live.waitForSelector('[data-live-seconds="2"]');
  const more = readFileSync(args['stream-source'], 'utf8').split('\n').filter((l) => l).slice(2);
  appendFileSync(args.stream, `${more.join('\n')}\n`);
  await live.waitForSelector(`[data-live-seconds="${2 + more.length}"]`);
  check(true, `Audience: the live view followed the stream from 2 to ${2 + more.length} seconds`);
  await live.screenshot({ path: join(args.screenshots, 'audience-live-laptop.png'), fullPage: true });
  check(live.errors.length === 0, `live view: no console errors (${live.errors.join(' | ')})`);
  await live.context().close();

  // --- the service unreachable ---
  const offline = await openConsole(args['deploy-key'], viewports.laptop);
  await offline.route('**/v1/**', (route) => route.abort('connectionrefused'));
  await offline.click('nav a[data-page="monitoring"]');
  await offline.waitForSelector('.message.error');
  check((await offline.textContent('.message.error')).includes('unreachable'), 'unreachable service: a visible message says so');
  await offline.context().close();
} finally {
  await browser.close();
}
console.log('console_test: all checks passed');
