// The back office in headless Chromium (Debian's /usr/bin/chromium; nothing is downloaded): the
// operator adds an officer with `issuer officer add`, the browser opens the printed set-up link,
// sets a password, reads the key from the page, and this script computes the TOTP codes
// (RFC 6238, HMAC-SHA-1, 6 digits, 30 s) to finish the set-up and log in. Then the officer's
// home and the audit log, a supervisor's reset of a second factor, in three languages and at
// 390 px. Screenshots go to
// docs/screenshots/office-*.png. It also checks the browser keeps the __Host- cookies and that no
// page trips the Content-Security-Policy.
//
// Usage (from the repository root, after `cargo build -p issuer`):
//   ISSUER_BIN=target/debug/issuer node issuer/browser-check/office.mjs
import { join } from 'node:path';
import { fail, launchBrowser, shots, startIssuer, watch } from './harness.mjs';
import { addOfficer as add, base32, setUpAndLogIn, totp } from './office-lib.mjs';
import { Axe } from './axe.mjs';

const { bin, base, data, stop } = await startIssuer('office', { port: '18094', sandboxPort: '18095' });
const addOfficer = (email, role) => add({ bin, data, base }, email, role);

const browser = await launchBrowser();
try {
  const password = 'officer password 2026';
  const email = 'aigerim.nurlanovna@migration.kz';
  const link = addOfficer(email, 'auditor');

  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'en-GB' });
  const page = await context.newPage();
  const problems = [];
  watch(page, problems);
  // axe-core on each back-office page the walk shows (fails on serious or critical violations).
  const axe = new Axe();
  const shot = async (name) => {
    await page.screenshot({ path: join(shots, `office-${name}.png`), fullPage: true });
    await axe.check(page, `office ${name}`);
  };

  // The set-up page: the QR code and the key; a short password first, then the real one.
  await page.goto(`${link}?lang=en`);
  if (!(await page.locator('svg.qr path').count())) fail('no QR code on the set-up page');
  const key = base32(await page.locator('code.secret').textContent());
  if (key.length !== 20) fail(`a key of ${key.length} bytes`);
  await page.fill('#f-password', 'short');
  await page.fill('#f-password_again', 'short');
  await page.fill('#f-code', totp(key, Date.now() / 1000));
  await page.click('button[type=submit].primary');
  if (!(await page.locator('#e-password').count())) fail('a short password was not refused beside its field');
  await shot('setup');
  await page.fill('#f-password', password);
  await page.fill('#f-password_again', password);
  await page.fill('#f-code', totp(key, Date.now() / 1000));
  await page.click('button[type=submit].primary');
  await page.waitForURL(/\/office\/login\?ready=1/);
  const formCookie = (await context.cookies()).find((c) => c.name === '__Host-office-form');
  if (!formCookie || !formCookie.secure || formCookie.sameSite !== 'Strict') fail(`form cookie: ${JSON.stringify(formCookie)}`);

  // The log-in: the code of the next step (within the accepted skew), since the set-up's code
  // cannot be used twice. Filled in before the screenshot, password hidden by the browser.
  await page.fill('#f-email', email);
  await page.fill('#f-password', password);
  await page.fill('#f-code', totp(key, Date.now() / 1000 + 30));
  await shot('login');
  await page.click('button[type=submit].primary');
  await page.waitForURL(`${base}/office`);
  const session = (await context.cookies()).find((c) => c.name === '__Host-office');
  if (!session || !session.secure || !session.httpOnly || session.sameSite !== 'Strict') fail(`office cookie: ${JSON.stringify(session)}`);
  if (!(await page.content()).includes(email)) fail('the home page does not name the officer');

  await page.goto(`${base}/office/audit?lang=en`);
  const audit = await page.content();
  for (const action of ['officer.added', 'officer.enrolled', 'login.succeeded']) {
    if (!audit.includes(action)) fail(`${action} is not in the audit log`);
  }
  await shot('audit');
  await page.goto(`${base}/office/audit?lang=ru`);
  if (!(await page.locator('h1').textContent()).includes('Журнал аудита')) fail('the audit page in Russian');
  await page.goto(`${base}/office/audit?lang=kk`);
  if (!(await page.locator('h1').textContent()).includes('Аудит журналы')) fail('the audit page in Kazakh');
  await shot('audit-kk');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/office/audit?lang=en`);
  await shot('audit-390');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  if (wide > 390) fail(`the audit page is ${wide} px wide at 390 px`);
  await page.setViewportSize({ width: 1200, height: 900 });

  // Log-out ends the session.
  await page.click('button.link');
  await page.waitForURL(/\/office\/login/);
  const after = await page.goto(`${base}/office/audit`);
  if (!after.url().endsWith('/office/login')) fail('the session outlived log-out');

  // A supervisor, set up and logged in the same way in another browser, sees the officers and
  // resets the auditor's second factor: the new set-up link is shown once.
  const chief = 'chief.supervisor@migration.kz';
  const chiefLink = addOfficer(chief, 'supervisor');
  const other = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'en-GB' });
  const sup = await other.newPage();
  watch(sup, problems);
  await setUpAndLogIn(sup, base, chiefLink, chief, password);
  await sup.screenshot({ path: join(shots, 'office-home.png'), fullPage: true });
  await axe.check(sup, 'office home');
  await sup.goto(`${base}/office/officers`);
  const row = sup.locator('tr', { hasText: email });
  await row.locator('button').click();
  const shown = await sup.locator('code.link').textContent();
  if (!shown.startsWith(`${base}/office/setup/`)) fail(`reset link: ${shown}`);
  await sup.screenshot({ path: join(shots, 'office-officers.png'), fullPage: true });
  await axe.check(sup, 'office officers');
  await sup.goto(`${base}/office/officers?lang=ru`);
  if (!(await sup.content()).includes('Ожидает настройки')) fail('the reset officer is not awaiting set-up (ru)');
  if ((await sup.content()).includes(shown)) fail('the set-up link was shown twice');
  await sup.setViewportSize({ width: 390, height: 844 });
  await sup.goto(`${base}/office/officers?lang=kk`);
  await sup.screenshot({ path: join(shots, 'office-officers-kk-390.png'), fullPage: true });
  await other.close();

  if (problems.length) fail(`browser console errors (CSP?): ${problems.join('\n')}`);
  axe.report();
  console.log(`office browser check passed; screenshots in ${shots}`);
} finally {
  await browser.close();
  stop();
}
