// Every screen at 390 px (issue 14): walks the portal and the e-pay sandbox's pages on a phone-wide
// window in headless Chromium (Debian's /usr/bin/chromium; nothing is downloaded) and fails if any
// page scrolls sideways (document.documentElement.scrollWidth > 390), if the "E-visa (PDF)" link
// of "Visas" is off-screen, if the language switch loses what was typed in Step 1, if a Step 1
// posted after its token or session expired loses it, or if an error page (404, 413) is not in the
// portal's frame in the chosen language with a way back. Writes docs/screenshots/screens-*.png at
// 390 px and 1280 px.
//
// Usage (from the repository root, after `cargo build -p issuer`):
//   ISSUER_BIN=target/debug/issuer node issuer/browser-check/screens.mjs
import { join } from 'node:path';
import { awaitElectronicCheck, confirmAddress, fail, launchBrowser, logIn, shots, signUp, startIssuer, submitCard } from './harness.mjs';

const issuer = await startIssuer('screens', { port: '18094', sandboxPort: '18095' });
const { base, sandboxPort } = issuer;
const PHONE = 390;

const browser = await launchBrowser();
const measured = [];
try {
  const context = await browser.newContext({ viewport: { width: PHONE, height: 844 }, locale: 'en-GB' });
  const page = await context.newPage();
  const wide = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  const desktop = await wide.newPage();

  // The page fits the phone's width: nothing scrolls sideways.
  const fits = async (name) => {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    measured.push(`${name} ${width}`);
    if (width > PHONE) fail(`${name} (${page.url()}) is ${width} px wide at ${PHONE} px`);
  };
  const shot = async (name, url) => {
    await page.screenshot({ path: join(shots, `screens-${name}-390.png`), fullPage: true });
    if (url) {
      await wide.clearCookies();
      await wide.addCookies(await context.cookies());
      await desktop.goto(url);
      await desktop.screenshot({ path: join(shots, `screens-${name}-1280.png`), fullPage: true });
    }
  };
  const visit = async (name, path) => {
    await page.goto(`${base}${path}`);
    await fits(name);
  };

  for (const [name, path] of [['services', '/services'], ['e-visa', '/services/e-visa?lang=kk'],
    ['login', '/login?lang=ru'], ['login-eds', '/login?tab=eds'], ['signup', '/signup?lang=kk'],
    ['forgot', '/password/forgot'], ['check', '/check?lang=ru'], ['services-en', '/services?lang=en']]) {
    await visit(name, path);
  }

  // A missing page: the portal's frame, in the chosen language, with a way back.
  const missing = await page.goto(`${base}/no-such-page?lang=ru`);
  if (missing.status() !== 404) fail(`a missing page answered ${missing.status()}`);
  if ((await page.getAttribute('html', 'lang')) !== 'ru') fail('the 404 page does not declare Russian');
  if (!(await page.textContent('h1')).includes('Страница не найдена')) fail('the 404 page is not in Russian');
  if (!(await page.isVisible('.masthead'))) fail('the 404 page is not in the portal frame');
  if (!(await page.isVisible('a[href="/services"].button'))) fail('the 404 page has no way back');
  await fits('404');
  await shot('404', `${base}/no-such-page?lang=ru`);

  // A form too large for the body limit (a layer answers 413): framed too, in English.
  await page.goto(`${base}/login?lang=en`);
  await page.fill('#f-identifier', 'x'.repeat(40 * 1024));
  await page.fill('#f-password', 'whatever');
  await page.click('button[type=submit].primary');
  await page.waitForLoadState();
  if (!(await page.textContent('h1')).includes('The data sent is too large')) fail('no framed 413 page');
  if ((await page.getAttribute('html', 'lang')) !== 'en') fail('the 413 page does not declare English');
  if (!(await page.isVisible('text=Back to the previous page'))) fail('the 413 page has no way back to the form');
  await fits('413');
  await shot('413');

  // An account, confirmed and logged in.
  await page.goto(`${base}/signup?lang=en`);
  if ((await page.getAttribute('#f-password', 'autocomplete')) !== 'new-password') fail('sign-up password autocomplete');
  await signUp(page, 'sven.larsson@example.com', 'Sven Larsson', 'a long test password');
  await fits('check-mail');
  await confirmAddress(page, issuer);
  await logIn(page, base, 'sven.larsson@example.com', 'a long test password', 'en');

  // Step 1: type, switch the language, everything is still there.
  const typed = {
    '#f-invitation_number': 'INV-DEMO-0001', '#f-surname': 'ERIKSSON', '#f-given_names': 'ANNA MARIA',
    '#f-surname_native': 'Эрикссон', '#f-given_names_native': 'Анна Мария', '#f-date_of_birth': '1974-08-12',
    '#f-citizenship': 'SWE', '#f-passport_number': 'L898902C3', '#f-passport_expiry': '2031-06-30',
  };
  const fillStep1 = async () => {
    for (const [field, value] of Object.entries(typed)) await page.fill(field, value);
    await page.selectOption('#f-category', 'tourist');
    await page.selectOption('#f-sex', 'F');
    await page.check('input[name=with_children][value=no]');
  };
  const keptStep1 = async (what) => {
    for (const [field, value] of Object.entries(typed)) {
      const kept = await page.inputValue(field);
      if (kept !== value) fail(`${what}: ${field} is "${kept}", was "${value}"`);
    }
    if ((await page.inputValue('#f-sex')) !== 'F') fail(`${what}: the sex was lost`);
    if (!(await page.isChecked('input[name=with_children][value=no]'))) fail(`${what}: the children answer was lost`);
  };
  await page.goto(`${base}/apply?lang=en`);
  for (const [field, token] of [['#f-surname', 'family-name'], ['#f-given_names', 'given-name'],
    ['#f-date_of_birth', 'bday'], ['#f-citizenship', 'country']]) {
    if ((await page.getAttribute(field, 'autocomplete')) !== token) fail(`Step 1 ${field} autocomplete is not ${token}`);
  }
  if ((await page.content()).includes('YYYY-MM-DD')) fail('Step 1 still hints YYYY-MM-DD beside the date pickers');
  await fillStep1();
  await fits('step1');
  await shot('step1', `${base}/apply?lang=en`);
  await page.click('.langs button[value=ru]');
  await page.waitForLoadState();
  if ((await page.getAttribute('html', 'lang')) !== 'ru') fail('the switch did not change the language');
  if (page.url().includes('ERIKSSON') || page.url().includes('L898902C3')) fail('the typed data went into the address');
  await keptStep1('after switching to Russian');
  await fits('step1-ru');
  await shot('step1-switched-ru');
  await page.click('.langs button[value=en]');
  await page.waitForLoadState();
  await keptStep1('after switching back to English');

  // The token of the page went stale (logged out and in again elsewhere): shown again, kept.
  await page.evaluate(() => { document.querySelector('#step1 input[name=csrf]').value = '0'.repeat(64); });
  await page.click('button[type=submit].primary');
  await page.waitForLoadState();
  if (!(await page.content()).includes('This form had expired')) fail('no expired-form notice');
  await keptStep1('after the token expired');
  await fits('step1-expired');
  await shot('step1-expired');

  // The session ended while Step 1 was open: log in again inside the form, which goes on.
  const session = (await context.cookies()).find((c) => c.name === '__Host-session');
  if (!session) fail('no session cookie');
  await context.clearCookies({ name: '__Host-session' });
  await page.click('button[type=submit].primary');
  await page.waitForLoadState();
  if (!(await page.content()).includes('Your session has ended')) fail('no session-ended notice');
  await keptStep1('after the session ended');
  await fits('step1-session-ended');
  await shot('step1-session-ended');
  await page.fill('#f-identifier', 'sven.larsson@example.com');
  await page.fill('#f-password', 'a long test password');
  await page.click('button[type=submit].primary');
  await page.waitForURL(/\/applications\/[0-9a-f]{32}\/confirm$/);
  const confirmUrl = page.url();
  await fits('confirmation');
  await shot('confirmation', confirmUrl);
  await page.check('input[name=confirm]');
  await page.click('button[type=submit].primary');
  await page.waitForURL(/\/payment$/);
  await fits('step2');
  await shot('step2');

  // The e-pay sandbox's pages.
  await page.click('button[type=submit].primary');
  await page.waitForURL(new RegExp(`^http://127\\.0\\.0\\.1:${sandboxPort}/pay/`));
  const payUrl = page.url();
  await fits('epay-methods');
  for (const method of ['wallet', 'mobile']) {
    await page.goto(`${payUrl}/${method}?lang=ru`);
    await fits(`epay-${method}`);
  }
  await page.goto(`${payUrl}/card?lang=kk`);
  await fits('epay-card');
  await shot('epay-card');
  await submitCard(page, 'SVEN LARSSON');
  await fits('epay-waiting');
  await awaitElectronicCheck(page);
  await fits('epay-receipt');
  await shot('epay-receipt');

  // Step 3, the portal's receipt, "Visas".
  await page.goto(confirmUrl.replace(/confirm$/, 'result'));
  for (let i = 0; i < 30 && !(await page.content()).includes('Approved. Payment completed'); i++) {
    await page.waitForTimeout(500);
    await page.click('text=Update Status');
  }
  await fits('result');
  await shot('result');
  await page.goto(confirmUrl.replace(/confirm$/, 'receipt'));
  const receipt = await page.textContent('main');
  if (!/\(Astana time, UTC\+5\)/.test(receipt)) fail('the receipt does not show Astana time');
  if (/\d{4}-\d{2}-\d{2}T/.test(receipt)) fail('the receipt shows a raw timestamp');
  if (!(await page.isVisible('button#print'))) fail('the receipt has no Print button');
  await fits('receipt');
  await shot('receipt', page.url());
  await page.goto(confirmUrl.replace(/confirm$/, 'receipt') + '?lang=ru');
  if (!(await page.textContent('main')).includes('время Астаны')) fail('the Russian receipt does not say Astana time');
  await fits('receipt-ru');
  await shot('receipt-ru');

  await page.goto(`${base}/account/visas?lang=en`);
  await fits('visas');
  const pdf = page.locator('a', { hasText: 'E-visa (PDF)' });
  const box = await pdf.boundingBox();
  if (!box || box.x < 0 || box.x + box.width > PHONE) fail(`the E-visa (PDF) link is off-screen: ${JSON.stringify(box)}`);
  await shot('visas', `${base}/account/visas?lang=en`);
  await page.goto(`${base}/account/visas?lang=kk`);
  await fits('visas-kk');
  for (const [name, path] of [['inviter', '/inviter?lang=en'], ['inviter-kk', '/inviter?lang=kk'],
    ['step1-kk', '/apply?lang=kk'], ['confirmation-kk', confirmUrl.replace(base, '') + '?lang=kk'],
    ['result-ru', confirmUrl.replace(base, '').replace(/confirm$/, 'result') + '?lang=ru'],
    ['check-en', '/check?lang=en'], ['404-kk', '/no-such-page?lang=kk']]) {
    await visit(name, path);
  }
  await page.goto(`${base}/inviter?lang=en`);
  await shot('inviter', `${base}/inviter?lang=en`);

  console.log(`screens check passed; widths at ${PHONE} px: ${measured.join(', ')}`);
} finally {
  await browser.close();
  issuer.stop();
}
