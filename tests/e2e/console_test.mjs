// Drives the web console in Debian chromium (headless) through playwright-core; run by
// console_test.sh, which starts the service. Checks, failing on the first that does not hold:
//   - every page loads with a deploy key, on a laptop (1366x768) and a wide (1920x1080) screen,
//     without console errors, and shows its data (tables, charts); screenshots of each;
//   - deploy by clicking (dialog, confirm) moves production to version 2 on the Models page and in
//     the API; rollback by keyboard moves it back to 1;
//   - with a read-only key (role predict) the deploy and rollback buttons are absent, and a direct
//     POST to deploy gets 403 (401 without a key);
//   - the audience page's live view follows a seconds.jsonl that grows;
//   - a request that cannot reach the service shows a visible message.
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
};

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
