// Walks the portal in headless Chromium (Debian's /usr/bin/chromium; nothing is downloaded):
// sign-up -> the mailed confirmation link (an .eml in the data directory's outbox) -> log in -> Portal Services -> Electronic visa -> Step 1 with a mistake -> fixed -> confirmation
// -> "Visas", in English and Kazakh, and writes screenshots to docs/screenshots/portal-*.png.
// It also checks that the browser keeps the __Host- cookies on http://127.0.0.1 (a visitor only the
// CSRF one, a logged-in user the session), and that
// no page trips the Content-Security-Policy.
//
// Usage (from the repository root, after `cargo build -p issuer`):
//   ISSUER_BIN=target/debug/issuer node issuer/browser-check/check.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { confirmAddress, fail, launchBrowser, logIn as logInAt, payByCard, shots, signUp, startIssuer, watch } from './harness.mjs';

const issuer = await startIssuer('browser', { port: '18090', sandboxPort: '18091' });
const { base, data, sandboxPort } = issuer;
const logIn = (page, email, password) => logInAt(page, base, email, password);

const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'en-GB' });
  const page = await context.newPage();
  const problems = [];
  watch(page, problems);
  const shot = (name) => page.screenshot({ path: join(shots, `portal-${name}.png`), fullPage: true });

  await page.goto(`${base}/login`);
  await shot('login');
  // A visitor has no session yet, only the cookie the form's CSRF token is signed from.
  const hostCookie = async (name) => {
    const cookies = await context.cookies();
    const cookie = cookies.find((c) => c.name === name);
    if (!cookie) fail(`Chromium refused the ${name} cookie on ${base}: ${JSON.stringify(cookies)}`);
    if (!cookie.secure || !cookie.httpOnly || cookie.sameSite !== 'Lax') fail(`cookie attributes: ${JSON.stringify(cookie)}`);
    return cookies;
  };
  const anonymous = await hostCookie('__Host-csrf');
  if (anonymous.some((c) => c.name === '__Host-session')) fail('a visitor got a session before logging in');

  await page.click('text=Sign Up');
  await signUp(page, 'anna.eriksson@example.com', 'Anna Maria Eriksson', 'a long test password');
  if (!(await page.content()).includes('Check your e-mail')) fail('sign-up did not ask to check the e-mail');
  await shot('check-mail');
  await logIn(page, 'anna.eriksson@example.com', 'a long test password');
  await hostCookie('__Host-session');
  await shot('services');

  await page.click('text=Electronic visa');
  await shot('e-visa');
  await page.click('text=Get a visa');
  await page.waitForURL(`${base}/apply`);

  // First with a typo in the surname and a passport number that differs from the invitation.
  await page.fill('#f-invitation_number', 'INV-DEMO-0001');
  await page.selectOption('#f-category', 'tourist');
  await page.fill('#f-surname', 'ERIKSON');
  await page.fill('#f-given_names', 'ANNA MARIA');
  await page.fill('#f-surname_native', 'Эрикссон');
  await page.fill('#f-given_names_native', 'Анна Мария');
  await page.selectOption('#f-sex', 'F');
  await page.fill('#f-date_of_birth', '1974-08-12');
  await page.fill('#f-citizenship', 'SWE');
  await page.fill('#f-passport_number', 'L898902C4');
  await page.fill('#f-passport_expiry', '2031-06-30');
  await page.check('input[name=with_children][value=no]');
  await page.click('button[type=submit].primary');
  const errors = await page.locator('.error').allTextContents();
  if (!errors.includes('Does not match the invitation')) fail(`expected mismatch errors, got ${errors}`);
  if ((await page.inputValue('#f-surname_native')) !== 'Эрикссон') fail('the entered data was not kept');
  await shot('step1-errors');

  await page.fill('#f-surname', 'ERIKSSON');
  await page.fill('#f-passport_number', 'L898902C3');
  await page.click('button[type=submit].primary');
  await page.waitForURL(/\/applications\/[0-9a-f]{32}\/confirm$/);
  const confirmUrl = page.url();
  if (!(await page.content()).includes('Nomad Travel Demo')) fail('no inviting party on the confirmation page');
  await page.click('button[type=submit].primary');
  if (!(await page.content()).includes('Please confirm the accuracy of the data')) fail('Next without the tick was not refused');
  await shot('confirmation');
  await page.goto(`${confirmUrl}?lang=kk`);
  await shot('confirmation-kk');
  await page.goto(`${confirmUrl}?lang=en`);
  await page.check('input[name=confirm]');
  await page.click('button[type=submit].primary');
  await page.waitForURL(/\/payment$/);
  const paymentUrl = page.url();
  if (!(await page.content()).includes('Send the link again')) fail('an unconfirmed address could pay');
  await shot('step2-unconfirmed');
  await confirmAddress(page, issuer);
  if (!(await page.content()).includes('Your address is confirmed')) fail('the mailed link did not confirm the address');
  await page.goto(paymentUrl);
  await shot('step2');
  await page.goto(`${base}/account/visas?lang=en`);
  const visas = await page.content();
  if (!visas.includes('INV-DEMO-0001') || !visas.includes('Payment not done')) fail('the application is not in Visas');
  await shot('visas-unpaid');

  // Step 2 -> the sandbox e-pay gateway (its own port) -> card -> receipt -> back to the portal.
  await page.goto(confirmUrl.replace(/confirm$/, 'payment'));
  await page.click('button[type=submit].primary');
  await page.waitForURL(new RegExp(`^http://127\\.0\\.0\\.1:${sandboxPort}/pay/`));
  await shot('epay-methods');
  await payByCard(page, 'ANNA ERIKSSON');
  await shot('epay-receipt');
  await page.goto(confirmUrl.replace(/confirm$/, 'result'));
  for (let i = 0; i < 30 && !(await page.content()).includes('Approved. Payment completed'); i++) {
    await page.waitForTimeout(500);
    await page.click('text=Update Status');
  }
  if (!(await page.content()).includes('Copy the visa in PDF format')) fail('the visa was not approved');
  await shot('result');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('text=Copy the visa in PDF format'),
  ]);
  if (!/^e-visa-KZ\d{7}-ERIKSSON\.pdf$/.test(download.suggestedFilename())) fail(`PDF file name ${download.suggestedFilename()}`);
  const pdfPath = join(data, 'visa.pdf');
  await download.saveAs(pdfPath);
  if (readFileSync(pdfPath).subarray(0, 5).toString() !== '%PDF-') fail('the download is not a PDF');
  await page.goto(`${base}/account/visas`);
  await shot('visas');

  await page.goto(`${base}/apply?lang=ru`);
  await shot('step1-ru');
  await page.goto(`${base}/services/e-visa?lang=kk`);
  await shot('e-visa-kk');
  await page.goto(`${base}/login?tab=eds&lang=en`);

  // Another account cannot open Anna's application.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(`${base}/signup`);
  await signUp(otherPage, 'other@example.com', 'Other', 'another long password');
  await logIn(otherPage, 'other@example.com', 'another long password');
  const response = await otherPage.goto(confirmUrl);
  if (response.status() !== 404) fail(`another account got ${response.status()} for the application`);

  if (problems.length) fail(`browser console errors (CSP?): ${problems.join('\n')}`);
  console.log(`browser check passed; screenshots in ${shots}`);
} finally {
  await browser.close();
  issuer.stop();
}
