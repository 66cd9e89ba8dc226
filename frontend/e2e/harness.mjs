// Reusable end-to-end harness: the real Go server on a fresh PostgreSQL
// database, and Debian's Chromium driven by playwright-core. Feature tests
// only add e2e/<feature>.test.mjs files, run by `npm run test:e2e`.
//
// The server runs with APP_ENV=development (so GET /api/v1/dev/mailbox shows
// the e-mails it sent) and PUBLIC_ORIGIN set to its own base URL, which the
// CSRF check and e-mailed links need.
//
// Environment:
//   HTXMARKET_BIN   server binary (default ../bin/htxmarket from frontend/)
//   DATABASE_URL    PostgreSQL server (any database of it; make exports the
//                   one deploy/dev/postgres.sh chose); each server gets its own database
//   CHROMIUM_PATH   browser executable (default /usr/bin/chromium)
//   E2E_SERVER_LOG  set to 1 to echo the server's output while tests run

import { spawn, execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const execFileAsync = promisify(execFile);

const frontendDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** resultsDir holds screenshots and other artefacts of a run (gitignored). */
export const resultsDir = path.join(frontendDir, 'test-results');

const defaultAdminURL = 'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable';
const readyTimeoutMs = 30_000;
const stopTimeoutMs = 10_000;
const maxLogChars = 64 * 1024;

let databaseCounter = 0;

/**
 * startServer starts `htxmarket serve` in development mode on a free port with
 * its own new database, and resolves once GET /readyz answers 200. With
 * seed: true it first runs `htxmarket seed` against that database (the demo
 * catalog and accounts of internal/app/seed.go) and `htxmarket search reindex`
 * (the worker, which would index through the outbox, does not run here).
 * run(args, input) runs another
 * command of the binary (`user create …`) with the server's environment.
 *
 * @param {{ seed?: boolean }} [options]
 * @returns {Promise<{ baseURL: string, databaseURL: string, databaseName: string, logs: () => string, stop: () => Promise<void>, run: (args: string[], input?: string) => Promise<string> }>}
 */
export async function startServer({ seed = false } = {}) {
  const bin = path.resolve(frontendDir, process.env.HTXMARKET_BIN || '../bin/htxmarket');
  if (!existsSync(bin)) {
    throw new Error(
      `server binary not found at ${bin}; build it first ` +
        '(cd frontend && npm run build) && go build -o bin/htxmarket ./cmd/htxmarket, or set HTXMARKET_BIN',
    );
  }

  // DATABASE_URL may name any database (make exports the app's, which a
  // fresh server does not have yet): the admin work happens in "postgres".
  const adminURL = withDatabase(process.env.DATABASE_URL || defaultAdminURL, 'postgres');
  databaseCounter += 1;
  const databaseName = `htxmarket_e2e_${process.pid}_${databaseCounter}`;
  const databaseURL = withDatabase(adminURL, databaseName);
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;

  // Uploaded images go to a folder of this server's own, removed by stop().
  const storageDir = mkdtempSync(path.join(tmpdir(), 'htxmarket-e2e-media-'));
  const env = {
    ...process.env,
    STORAGE_DIR: storageDir,
    APP_ENV: 'development',
    DATABASE_URL: databaseURL,
    HTTP_ADDR: `127.0.0.1:${port}`,
    // The CSRF check accepts state-changing requests only from this origin,
    // and e-mailed links (password reset) point at it.
    PUBLIC_ORIGIN: baseURL,
  };

  /** run runs `htxmarket <args…>` with the server's environment and returns its output. */
  async function run(args, input) {
    return new Promise((resolve, reject) => {
      const cmd = execFile(bin, args, { env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`htxmarket ${args.join(' ')}: ${err.message}\n${stderr}`));
        else resolve(stdout);
      });
      cmd.stdin?.end(input ?? '');
    });
  }

  if (seed) {
    // seed needs the tables: migrate first (serve then finds them up to date).
    try {
      await run(['migrate', 'up']);
      await run(['seed']);
      // The seed writes products through the outbox, which only the worker
      // relays to the search index; no worker runs here, so build the index.
      await run(['search', 'reindex']);
    } catch (err) {
      rmSync(storageDir, { recursive: true, force: true });
      await dropDatabase(adminURL, databaseName).catch(() => {});
      throw err;
    }
  }

  const child = spawn(bin, ['serve'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let output = '';
  const echo = process.env.E2E_SERVER_LOG === '1';
  const capture = (stream) => (chunk) => {
    output = (output + chunk.toString()).slice(-maxLogChars);
    if (echo) stream.write(chunk);
  };
  child.stdout.on('data', capture(process.stdout));
  child.stderr.on('data', capture(process.stderr));

  /** @type {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} */
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (err) => {
      output += `\nspawn error: ${err.message}`;
      resolve({ code: null, signal: null });
    });
  });
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });

  // A test runner that dies must not leave a server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', killOnExit);
    if (!hasExited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
      await exited;
      clearTimeout(timer);
    }
    rmSync(storageDir, { recursive: true, force: true });
    await dropDatabase(adminURL, databaseName);
  }

  try {
    await waitReady(baseURL, exited, () => output);
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }

  return { baseURL, databaseURL, databaseName, logs: () => output, stop, run };
}

// waitReady polls /readyz until it answers 200, the server exits, or time runs out.
async function waitReady(baseURL, exited, logs) {
  const deadline = Date.now() + readyTimeoutMs;
  let early = null;
  void exited.then((status) => {
    early = status;
  });
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (early) {
      throw new Error(
        `server exited before it was ready (code ${early.code}, signal ${early.signal}); its output:\n${logs()}`,
      );
    }
    try {
      const res = await fetch(`${baseURL}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
      last = `GET /readyz answered ${res.status}`;
    } catch (err) {
      last = `GET /readyz failed: ${err.cause?.code || err.message}`;
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`server not ready after ${readyTimeoutMs / 1000}s (${last}); its output:\n${logs()}`);
}

function withDatabase(adminURL, name) {
  const url = new URL(adminURL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(adminURL, name) {
  try {
    await execFileAsync('psql', [
      adminURL,
      '-X',
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`,
    ]);
  } catch (err) {
    throw new Error(`drop test database ${name}: ${err.stderr || err.message}`);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * openBrowser launches headless Chromium. newPage() opens a page in a fresh
 * context (own cookies and localStorage) whose relative URLs resolve against
 * baseURL; its console errors and uncaught exceptions are collected in
 * page.errors so tests can assert a clean run.
 *
 * @param {{ baseURL?: string }} [options]
 */
export async function openBrowser({ baseURL } = {}) {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}; apt-get install chromium, or set CHROMIUM_PATH`);
  }
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });

  /**
   * @param {import('playwright-core').BrowserContextOptions} [contextOptions]
   * @returns {Promise<import('playwright-core').Page & { errors: string[] }>}
   */
  async function newPage(contextOptions = {}) {
    const context = await browser.newContext({
      ...(baseURL ? { baseURL } : {}),
      // An English browser: the site must still start in Vietnamese.
      locale: 'en-US',
      viewport: { width: 1280, height: 800 },
      ...contextOptions,
    });
    const page = /** @type {any} */ (await context.newPage());
    watch(page);
    // Pages the app opens itself (target=_blank, window.open) are watched too.
    context.on('page', (p) => watch(/** @type {any} */ (p)));
    return page;
  }

  return {
    browser,
    newPage,
    close: () => browser.close(),
  };
}

/** @type {Set<any>} pages opened by newPage (and their popups), for withScreenshot's check. */
const watchedPages = new Set();

/**
 * watch collects a page's console errors and uncaught exceptions in
 * page.errors (tests assert on them, filtering expected 4xx messages), and
 * what no test may tolerate in page.faults: uncaught exceptions, requests
 * that failed on the network (other than those the browser aborted because
 * the page moved on) and 5xx responses. withScreenshot fails a test whose
 * pages have any fault.
 */
function watch(page) {
  page.errors = [];
  page.faults = [];
  // A test that makes a failure on purpose (a routed 503) lists it here.
  /** @type {RegExp[]} */
  page.allowFaults = [];
  watchedPages.add(page);
  page.on('close', () => watchedPages.delete(page));
  page.on('pageerror', (err) => {
    page.errors.push(`pageerror: ${err.message}`);
    page.faults.push(`pageerror: ${err.message}\n${err.stack ?? ''}`);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') page.errors.push(`console: ${msg.text()}`);
  });
  page.on('requestfailed', (req) => {
    const reason = req.failure()?.errorText ?? 'failed';
    if (reason === 'net::ERR_ABORTED') return;
    page.faults.push(`request failed: ${req.method()} ${req.url()}: ${reason}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 500) page.faults.push(`response ${res.status()}: ${res.request().method()} ${res.url()}`);
  });
}

/**
 * faultsOf lists the faults (see watch) of every watched page.
 *
 * @returns {string[]}
 */
export function faultsOf() {
  return [...watchedPages].flatMap((p) => p.faults.filter((f) => !p.allowFaults.some((re) => re.test(f))));
}

/**
 * screenshot saves a full-page PNG under frontend/test-results/ and returns its path.
 *
 * @param {import('playwright-core').Page} page
 * @param {string} name
 */
export async function screenshot(page, name) {
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${safeName(name)}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * withScreenshot runs a test body and fails it when any watched page had a
 * fault (an uncaught exception, a failed request, a 5xx response: see watch);
 * on failure it saves a screenshot of the page named after the test before
 * passing the failure on.
 *
 * @param {{ name: string }} t node:test context
 * @param {import('playwright-core').Page} page
 * @param {() => Promise<void>} body
 */
export async function withScreenshot(t, page, body) {
  for (const p of watchedPages) p.faults.length = 0;
  try {
    await body();
    const faults = faultsOf();
    if (faults.length > 0) {
      throw new Error(`the page had ${faults.length} fault(s):\n${faults.join('\n')}`);
    }
  } catch (err) {
    const file = await screenshot(page, `FAILED-${t.name}`).catch(() => undefined);
    if (file && err instanceof Error) err.message += `\nscreenshot: ${file}`;
    throw err;
  }
}

function safeName(name) {
  return name.replace(/[^\p{L}\p{N}._-]+/gu, '-').slice(0, 100);
}

/** phone is a Playwright context option set for a small phone screen. */
export const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

/** noSidewaysScroll fails the test when the page is wider than its screen. */
export async function noSidewaysScroll(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow !== 0) {
    throw new Error(`page is ${overflow}px wider than the screen`);
  }
}

/** demoPassword is the password of every demo account that `seed` creates. */
export const demoPassword = 'Chợ phiên HTX 2025';

/** signIn logs an account in through the login page and waits until the header knows it. */
export async function signIn(page, login, password = demoPassword) {
  await page.goto('/dang-nhap');
  await page.getByLabel('Email hoặc số điện thoại').fill(login);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await page.getByTestId('nav-account').waitFor();
}
