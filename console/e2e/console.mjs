// End-to-end check of the console in headless Chromium, driven by playwright-core (docs/console.md).
// Run by conformance-tests' ConsoleE2eTest against a real server it seeded; it can also be run by hand:
//   node e2e/console.mjs --url http://127.0.0.1:8700 --token TOKEN --out DIR [--namespace prod --service payments]
// It talks to the test on stdout, one line per step ("step: NAME"); where the test must act (write an
// endpoint, check a drain) the line is "await: WHAT", and the script goes on when the test answers a
// line on stdin (run by hand: press Enter once you have done WHAT).
// Exit 0 when every check held, 1 with "error: ..." when one did not, 2 on bad arguments.
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from './browser.mjs';
import { check, checkNoReload } from './checks.mjs';

const usage = 'usage: node e2e/console.mjs --url URL --token TOKEN --out DIR --user-data-dir DIR '
  + '[--namespace NS] [--service SVC] [--new-endpoint ID] [--drain ID]';
let args;
try {
  args = parseArgs({
    options: {
      url: { type: 'string' }, token: { type: 'string' }, out: { type: 'string' }, 'user-data-dir': { type: 'string' },
      namespace: { type: 'string', default: 'prod' }, service: { type: 'string', default: 'payments' },
      'new-endpoint': { type: 'string', default: 'task-new' }, drain: { type: 'string', default: 'task-1' },
    },
  }).values;
} catch (e) {
  console.error(`error: ${e.message}\n${usage}`);
  process.exit(2);
}
if (!args.url || !args.token || !args.out || !args['user-data-dir']) {
  console.error(`error: --url, --token, --out and --user-data-dir are required\n${usage}`);
  process.exit(2);
}
mkdirSync(args.out, { recursive: true });

const STEP_MS = 15_000;
const say = (line) => console.log(line);
const stdin = createInterface({ input: process.stdin });
const answers = stdin[Symbol.asyncIterator]();
/** Asks the test to do or check {@code what} and waits until it has. */
async function awaitTest(what) {
  say(`await: ${what}`);
  const { done } = await answers.next();
  check(!done, `the test did not answer 'await: ${what}'`);
}
const { context, page, problems } = await launchBrowser(args['user-data-dir']);
const shot = (name) => page.screenshot({ path: join(args.out, `${name}.png`), fullPage: true });
let failed = null;
try {
  await signIn();
  await namespaces();
  await services();
  await service();
  await liveUpdate();
  await drain();
  await applySpec();
  await proxies();
  await status();
  check(problems.length === 0, `the page reported errors: ${problems.join(' | ')}`);
  say('step: done');
} catch (e) {
  failed = e;
  await shot('failure').catch(() => {});
} finally {
  stdin.close();
  await context.close();
}
if (failed) console.error(`error: ${failed.message}`);
process.exit(failed ? 1 : 0);

async function signIn() {
  say('step: token form');
  await page.goto(`${args.url}/ui/`);
  await page.getByTestId('token-form').waitFor({ timeout: STEP_MS });
  await page.getByTestId('token-input').fill('not-a-valid-token-at-all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('error').filter({ hasText: 'UNAUTHENTICATED' }).waitFor({ timeout: STEP_MS });
  await shot('token-refused');
  // The fragment flow: the token is taken once, kept in sessionStorage, and dropped from the URL.
  await page.goto(`${args.url}/ui/#token=${encodeURIComponent(args.token)}`);
  await page.getByTestId('namespaces').waitFor({ timeout: STEP_MS });
  check(new URL(page.url()).hash === '', `the token stays in the URL: ${page.url()}`);
  check(await page.evaluate(() => sessionStorage.getItem('tether.token')) === args.token, 'the token is not in sessionStorage');
}

async function namespaces() {
  say('step: namespaces');
  await page.getByTestId(`namespace-${args.namespace}`).waitFor({ timeout: STEP_MS });
  await page.getByTestId('live-status').filter({ hasText: /^live$/ }).waitFor({ timeout: STEP_MS });
  const noReload = await checkNoReload(page);
  await awaitTest('namespace staging');
  await page.getByTestId('namespace-staging').waitFor({ timeout: STEP_MS });
  await noReload();
  await shot('namespaces');
  await page.getByTestId(`namespace-${args.namespace}`).getByRole('link').click();
}

async function services() {
  say('step: services');
  const row = page.getByTestId(`service-${args.service}`);
  await row.waitFor({ timeout: STEP_MS });
  const vip = await row.locator('td').nth(3).innerText();
  check(/^127\.255\.\d+\.\d+/.test(vip), `the service's VIP is not shown: '${vip}'`);
  await shot('services');
  await row.getByRole('link').click();
}

async function service() {
  say('step: service');
  await page.getByTestId(`endpoint-${args.drain}`).waitFor({ timeout: STEP_MS });
  const policy = await page.getByTestId('effective-policy').innerText({ timeout: STEP_MS });
  for (const field of ['"loadBalancing"', '"outlierDetection"', '"perRequestTimeoutSeconds": 5']) {
    check(policy.includes(field), `the effective policy lacks ${field}: ${policy}`);
  }
  await page.getByTestId('vips').waitFor({ timeout: STEP_MS });
  await page.getByTestId('live-status').filter({ hasText: /^live$/ }).waitFor({ timeout: STEP_MS });
  await shot('service');
}

async function liveUpdate() {
  const noReload = await checkNoReload(page);
  await awaitTest(`endpoint ${args['new-endpoint']}`);
  await page.getByTestId(`endpoint-${args['new-endpoint']}`).waitFor({ timeout: STEP_MS });
  await noReload();
  say('step: live update shown');
  await shot('live-update');
}

async function drain() {
  const row = page.getByTestId(`endpoint-${args.drain}`);
  await row.getByTestId('drain-toggle').click();
  await row.getByTestId('drained').filter({ hasText: 'yes' }).waitFor({ timeout: STEP_MS });
  await awaitTest(`drained ${args.drain}`);
  await shot('drained');
  await row.getByTestId('drain-toggle').filter({ hasText: 'Undrain' }).click();
  await row.getByTestId('drained').filter({ hasText: 'no' }).waitFor({ timeout: STEP_MS });
  await awaitTest(`undrained ${args.drain}`);
}

async function applySpec() {
  say('step: spec edit');
  const editor = page.getByTestId('spec-text');
  const text = await editor.inputValue();
  check(text.includes('"perRequestTimeoutSeconds": 5'), `the editor does not show the stored spec: ${text}`);
  await editor.fill(text.replace('"perRequestTimeoutSeconds": 5', '"perRequestTimeoutSeconds": 7'));
  await page.getByTestId('format-yaml').check();
  check((await editor.inputValue()).includes('perRequestTimeoutSeconds: 7'), 'the YAML view does not show the edit');
  await page.getByTestId('review').click();
  const diff = page.getByTestId('diff');
  await diff.locator('.diff-remove', { hasText: '"perRequestTimeoutSeconds": 5' }).waitFor({ timeout: STEP_MS });
  await diff.locator('.diff-add', { hasText: '"perRequestTimeoutSeconds": 7' }).waitFor({ timeout: STEP_MS });
  check(await diff.locator('.diff-add, .diff-remove').count() === 2, 'the diff shows more than the one changed line');
  await shot('spec-diff');
  await page.getByTestId('apply').click();
  await page.getByTestId('notice').filter({ hasText: 'Applied.' }).waitFor({ timeout: STEP_MS });
  await page.getByTestId('effective-policy').filter({ hasText: '"perRequestTimeoutSeconds": 7' }).waitFor({ timeout: STEP_MS });
  await awaitTest(`applied ${args.service}`);
  await shot('spec-applied');
}

async function proxies() {
  say('step: proxies');
  await page.getByRole('link', { name: 'Proxies' }).click();
  const table = page.getByTestId('proxies');
  await table.waitFor({ timeout: STEP_MS });
  for (const type of ['LDS', 'CDS', 'EDS']) {
    await table.getByTestId(`sync-${type}`).filter({ hasText: 'SYNCED' }).first().waitFor({ timeout: STEP_MS });
  }
  await shot('proxies');
}

async function status() {
  say('step: status');
  await page.getByRole('link', { name: 'Status' }).click();
  const status = page.getByTestId('status');
  await status.filter({ hasText: /1 connected: .*1 SYNCED/ }).waitFor({ timeout: STEP_MS });
  check((await status.innerText()).includes('healthy'), 'the status view does not show etcd healthy');
  await shot('status');
}
