// What the back-office browser checks share: the TOTP codes an authenticator app would show,
// `issuer officer add` as the operator runs it, and an officer's first set-up and log-in.
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { fail, root } from './harness.mjs';

/** Base32 (RFC 4648) to bytes, as an authenticator app reads a typed key. */
export function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0; let value = 0; const out = [];
  for (const c of text.replace(/\s+/g, '')) {
    const v = alphabet.indexOf(c);
    if (v < 0) fail(`not base32: ${text}`);
    value = ((value << 5) | v) & 0xffff; bits += 5;
    if (bits >= 8) { bits -= 8; out.push((value >>> bits) & 0xff); }
  }
  return Buffer.from(out);
}

/** The TOTP code of `key` at Unix time `unix` (RFC 6238 over RFC 4226). */
export function totp(key, unix) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unix / 30)));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1] & 15;
  const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1_000_000).padStart(6, '0');
}
// RFC 6238's first SHA-1 vector, to be sure of the helper before trusting it.
if (totp(Buffer.from('12345678901234567890'), 59) !== '287082') fail('the TOTP helper is wrong');

/** Runs the issuer's command line; fails on a non-zero exit. Returns stdout. */
export function cli(bin, args) {
  const run = spawnSync(bin, args, { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) fail(`issuer ${args.join(' ')}: exit ${run.status}: ${run.stderr}`);
  return run.stdout;
}

/** `issuer officer add` as the operator runs it; returns the printed set-up link. */
export function addOfficer({ bin, data, base }, email, role) {
  const out = cli(bin, ['officer', 'add', '--email', email, '--role', role, '--data-dir', data, '--base-url', base]);
  const link = out.split('\n').find((l) => l.startsWith(`${base}/office/setup/`));
  if (!link) fail(`no set-up link in: ${out}`);
  return link.trim();
}

/** Sets up an officer from the set-up link in `page` and logs in; returns the TOTP key. */
export async function setUpAndLogIn(page, base, link, email, password) {
  await page.goto(`${link}?lang=en`);
  const key = base32(await page.locator('code.secret').textContent());
  await page.fill('#f-password', password);
  await page.fill('#f-password_again', password);
  await page.fill('#f-code', totp(key, Date.now() / 1000));
  await page.click('button[type=submit].primary');
  await page.waitForURL(/\/office\/login\?ready=1/);
  // The code of the next step (within the accepted skew): the set-up's code cannot be reused.
  await page.fill('#f-email', email);
  await page.fill('#f-password', password);
  await page.fill('#f-code', totp(key, Date.now() / 1000 + 30));
  await page.click('button[type=submit].primary');
  await page.waitForURL(`${base}/office`);
  return key;
}
