// What every browser check shares: an issuer process on its own data directory and ports (with
// the sandbox gateway), headless Debian Chromium, the links the issuer mails to its outbox folder,
// a card payment on the sandbox gateway, dates as Kazakhstan counts them.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const fail = (message) => { throw new Error(message); };

/** The repository's root folder. */
export const root = resolve(new URL('../..', import.meta.url).pathname);

/** The issuer binary: `ISSUER_BIN`, else target/debug/issuer. */
export const issuerBin = resolve(process.env.ISSUER_BIN ?? join(root, 'target/debug/issuer'));

/** Where screenshots go: `SHOTS_DIR`, else docs/screenshots. */
export const shots = resolve(process.env.SHOTS_DIR ?? join(root, 'docs/screenshots'));
mkdirSync(shots, { recursive: true });

/** A date `offset` days from today in Kazakhstan (UTC+5 all year), as YYYY-MM-DD. */
export const day = (offset) => new Date(Date.now() + 5 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);

/**
 * Starts the issuer (`ISSUER_BIN`, else target/debug/issuer) on `PORT`/`SANDBOX_PORT` (else the
 * defaults given) with a fresh data directory, and waits until it answers on `defaults.ready`
 * (else /services).
 */
export async function startIssuer(name, defaults) {
  const ready = defaults.ready ?? '/services';
  const bin = issuerBin;
  const port = process.env.PORT ?? defaults.port;
  const sandboxPort = process.env.SANDBOX_PORT ?? defaults.sandboxPort;
  const base = `http://127.0.0.1:${port}`;
  const data = mkdtempSync(join(tmpdir(), `issuer-${name}-`));
  const child = spawn(bin, ['--addr', `127.0.0.1:${port}`, '--data-dir', data, '--sandbox-addr', `127.0.0.1:${sandboxPort}`], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const stop = () => { child.kill(); rmSync(data, { recursive: true, force: true }); };
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${base}${ready}`)).ok) return { bin, base, data, port, sandboxPort, stop }; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  return fail('the issuer did not start');
}

/** Headless Debian Chromium (`CHROMIUM` to use another) with `extraArgs`; nothing is downloaded. */
export function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', ...extraArgs],
  });
}

/**
 * The newest link `base + prefix + 64 hex digits` in a mail of `kind` the issuer wrote to its
 * outbox folder (no --smtp-url): the plain-text part, quoted-printable, holds it.
 */
export async function mailedLink({ data, base }, kind, prefix) {
  const outbox = join(data, 'outbox');
  for (let i = 0; i < 100; i++) {
    let files = [];
    try { files = readdirSync(outbox).filter((f) => f.endsWith(`-${kind}.eml`)).sort(); } catch { /* not yet */ }
    if (files.length) {
      const eml = readFileSync(join(outbox, files.at(-1)), 'utf8')
        .replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
      const found = eml.match(new RegExp(`${base}${prefix}[0-9a-f]{64}`));
      if (found) return found[0];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return fail(`no ${kind} mail in ${outbox}`);
}

/**
 * On the gateway's payment page `page` is at: pays with the sandbox's approved test card and
 * waits for the electronic check.
 */
export async function payByCard(page, holder) {
  await page.goto(`${page.url()}/card`);
  await submitCard(page, holder);
  await awaitElectronicCheck(page);
}

/** On the gateway's card form `page` is at: submits the approved test card for `holder`. */
export async function submitCard(page, holder) {
  await page.fill('input[name=number]', '4111 1111 1111 1111');
  await page.fill('input[name=expiry]', '12/30');
  await page.fill('input[name=cvv]', '123');
  await page.fill('input[name=holder]', holder);
  await page.click('button[type=submit]');
}

/**
 * The waiting page announces the answer without reloading itself; reload it (as its "Check for
 * the answer" link does) until the electronic check is there.
 */
export async function awaitElectronicCheck(page) {
  for (let i = 0; i < 60; i++) {
    const html = await page.content().catch(() => '');
    if (html.includes('**** 1111') && !html.includes('data-waiting')) return;
    await page.waitForTimeout(500);
    await page.reload().catch(() => {});
  }
  fail('the gateway gave no electronic check');
}

/** On the sign-up page `page` is at: fills the form and sends it. */
export async function signUp(page, email, fullName, password) {
  await page.fill('#f-email', email);
  await page.fill('#f-full_name', fullName);
  await page.fill('#f-password', password);
  await page.fill('#f-password_again', password);
  await page.click('button[type=submit].primary');
}

/** Opens the newest mailed confirmation link and confirms the address. */
export async function confirmAddress(page, env) {
  await page.goto(await mailedLink(env, 'verify_address', '/account/confirm/'));
  await page.click('button[type=submit].primary');
}

/** Logs in on `base`/login (`lang` if given) and waits for Portal Services. */
export async function logIn(page, base, email, password, lang) {
  await page.goto(`${base}/login${lang ? `?lang=${lang}` : ''}`);
  await page.fill('#f-identifier', email);
  await page.fill('#f-password', password);
  await page.click('button[type=submit].primary');
  await page.waitForURL(`${base}/services`);
}

/** Collects console errors (a CSP violation shows there) and page errors of `page`. */
export function watch(page, problems) {
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
}
