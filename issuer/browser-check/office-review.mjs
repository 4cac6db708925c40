// The back office's reviews, walked in headless Chromium as an officer and an applicant would:
// 1. an inviting party registered with `issuer invite` is pending; its invitation is refused at
//    Step 1 until an officer opens /office/inviters, reads what was submitted and verifies it;
// 2. the traveller is on the stop-list (`issuer stop-list add`): paid through the sandbox gateway,
//    the application waits "Under review"; the officer sees the matching entry in
//    /office/screening and approves it; the applicant's visa is then issued and downloads;
// 3. the officer finds the visa in /office/visas and revokes it with a reason; the visa page and
//    the audit trail say so.
// Screenshots go to docs/screenshots/office-*.png (and one of the applicant's page under review).
//
// Usage (from the repository root, after `cargo build -p issuer`):
//   ISSUER_BIN=target/debug/issuer node issuer/browser-check/office-review.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { day, fail, launchBrowser, mailedLink as mailed, payByCard, shots, startIssuer, watch } from './harness.mjs';
import { addOfficer, cli, setUpAndLogIn } from './office-lib.mjs';

const env = await startIssuer('review', { port: '18096', sandboxPort: '18097' });
const { bin, base, data, sandboxPort } = env;
const mailedLink = (kind, prefix) => mailed(env, kind, prefix);
const bin_ = '180440012349';
const traveller = { surname: 'NAKAMURA', given: 'HIROSHI', passport: 'TK1234567', citizenship: 'JPN', born: '1980-03-14' };

const browser = await launchBrowser();
try {
  const problems = [];

  // The operator's side: a new party's invitation, a stop-list entry, an officer.
  const invitation = cli(bin, ['invite', '--data-dir', data, '--bin-iin', bin_,
    '--inviter-name', 'Altyn Dala Tours LLP', '--inviter-description', 'Tour operator, Almaty, licence TO-0417',
    '--surname', traveller.surname, '--given-names', traveller.given, '--passport', traveller.passport,
    '--citizenship', traveller.citizenship, '--date-of-birth', traveller.born, '--category', 'tourist',
    '--purpose', 'Tourism', '--city', 'Almaty', '--street', 'Abai avenue', '--house', '10',
    '--valid-from', day(10), '--valid-until', day(40), '--stay-days', '20']).trim();
  if (!/^INV-/.test(invitation)) fail(`issuer invite printed ${invitation}`);
  cli(bin, ['stop-list', 'add', '--data-dir', data, '--surname', 'Nakamura', '--born', traveller.born,
    '--note', 'Interpol notice 2026/4411 (test entry)']);
  const officerEmail = 'dana.seitkali@migration.kz';
  const link = addOfficer(env, officerEmail, 'officer');

  // The applicant signs up, confirms the address and tries the invitation: refused, pending.
  const applicant = await (await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'en-GB' })).newPage();
  watch(applicant, problems);
  await applicant.goto(`${base}/signup?lang=en`);
  await applicant.fill('#f-email', 'hiroshi.nakamura@example.jp');
  await applicant.fill('#f-full_name', 'Hiroshi Nakamura');
  await applicant.fill('#f-password', 'maple lantern orbit 58');
  await applicant.fill('#f-password_again', 'maple lantern orbit 58');
  await applicant.click('button[type=submit].primary');
  await applicant.goto(`${base}/login`);
  await applicant.fill('#f-identifier', 'hiroshi.nakamura@example.jp');
  await applicant.fill('#f-password', 'maple lantern orbit 58');
  await applicant.click('button[type=submit].primary');
  await applicant.waitForURL(`${base}/services`);
  await applicant.goto(await mailedLink('verify_address', '/account/confirm/'));
  await applicant.click('button[type=submit].primary');
  if (!(await applicant.content()).includes('Your address is confirmed')) fail('the address was not confirmed');
  const step1 = async () => {
    await applicant.goto(`${base}/apply?lang=en`);
    await applicant.fill('#f-invitation_number', invitation);
    await applicant.selectOption('#f-category', 'tourist');
    await applicant.fill('#f-surname', traveller.surname);
    await applicant.fill('#f-given_names', traveller.given);
    await applicant.fill('#f-surname_native', '中村');
    await applicant.fill('#f-given_names_native', '浩');
    await applicant.selectOption('#f-sex', 'M');
    await applicant.fill('#f-date_of_birth', traveller.born);
    await applicant.fill('#f-citizenship', traveller.citizenship);
    await applicant.fill('#f-passport_number', traveller.passport);
    await applicant.fill('#f-passport_expiry', '2033-01-31');
    await applicant.check('input[name=with_children][value=no]');
    await applicant.click('button[type=submit].primary');
  };
  await step1();
  if (!(await applicant.content()).includes('has not been verified by the migration service')) {
    fail('an invitation of a pending party was not refused at Step 1');
  }

  // 1. The officer reads what the party submitted and verifies it.
  const officerContext = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'en-GB' });
  const officer = await officerContext.newPage();
  watch(officer, problems);
  await setUpAndLogIn(officer, base, link, officerEmail, 'officer password 2026');
  await officer.goto(`${base}/office/inviters?lang=en`);
  const party = officer.locator(`#party-${bin_}`);
  const submitted = await party.textContent();
  for (const shown of ['Altyn Dala Tours LLP', 'licence TO-0417', bin_]) {
    if (!submitted.includes(shown)) fail(`the pending party's page does not show ${shown}`);
  }
  await officer.screenshot({ path: join(shots, 'office-inviters-pending.png'), fullPage: true });
  await party.locator(`form[action="/office/inviters/${bin_}/verify"] button`).click();
  await officer.waitForLoadState();
  await officer.goto(`${base}/office/inviters?lang=en`);
  if (!(await officer.locator(`#party-${bin_}`).textContent()).includes('Verified')) fail('the party is not verified');
  await officer.screenshot({ path: join(shots, 'office-inviters-verified.png'), fullPage: true });

  // 2. Now Step 1 goes through; paid, the application waits for screening.
  await step1();
  await applicant.waitForURL(/\/applications\/[0-9a-f]{32}\/confirm$/);
  const confirmUrl = applicant.url();
  if (!(await applicant.content()).includes('Altyn Dala Tours LLP')) fail('the verified name is not on the confirmation');
  await applicant.check('input[name=confirm]');
  await applicant.click('button[type=submit].primary');
  await applicant.waitForURL(/\/payment$/);
  await applicant.click('button[type=submit].primary');
  await applicant.waitForURL(new RegExp(`^http://127\\.0\\.0\\.1:${sandboxPort}/pay/`));
  await payByCard(applicant, 'HIROSHI NAKAMURA');
  const resultUrl = confirmUrl.replace(/confirm$/, 'result');
  let result = '';
  for (let i = 0; i < 30; i++) {
    await applicant.goto(`${resultUrl}?lang=en`);
    result = await applicant.content();
    if (result.includes('Under review')) break;
    await applicant.waitForTimeout(500);
  }
  if (!result.includes('Under review')) fail('the stop-listed traveller is not under review');
  if (result.includes('Interpol') || result.includes('stop-list')) fail('the applicant was shown the reason');
  if (result.includes('Copy the visa in PDF format')) fail('a held application offers a visa');
  await applicant.screenshot({ path: join(shots, 'portal-under-review.png'), fullPage: true });

  await officer.goto(`${base}/office/screening?lang=en`);
  const held = officer.locator('article.held', { hasText: traveller.passport });
  const heldText = await held.textContent();
  for (const shown of ['Interpol notice 2026/4411', 'NAKAMURA', invitation, 'Altyn Dala Tours LLP']) {
    if (!heldText.includes(shown)) fail(`the screening queue does not show ${shown}`);
  }
  await officer.screenshot({ path: join(shots, 'office-screening-held.png'), fullPage: true });
  await held.locator('form[action$="/approve"] button').click();
  await officer.waitForLoadState();
  if (await officer.locator('article.held', { hasText: traveller.passport }).count()) fail('approved, yet still held');
  const approved = await officer.locator('.notice.success').textContent();
  const number = (approved.match(/KZ[0-9A-Z]{7}/) ?? fail(`no visa number in: ${approved}`))[0];
  await officer.screenshot({ path: join(shots, 'office-screening-approved.png'), fullPage: true });

  await applicant.goto(`${resultUrl}?lang=en`);
  if (!(await applicant.content()).includes('Copy the visa in PDF format')) fail('the approved visa is not offered to the applicant');
  const [download] = await Promise.all([
    applicant.waitForEvent('download'),
    applicant.click('text=Copy the visa in PDF format'),
  ]);
  const pdf = join(data, 'approved.pdf');
  await download.saveAs(pdf);
  if (readFileSync(pdf).subarray(0, 5).toString() !== '%PDF-') fail('the approved visa is not a PDF');

  // 3. The officer finds the visa and revokes it: first without a reason (refused beside the
  // field), then with one.
  await officer.goto(`${base}/office/visas?lang=en`);
  await officer.fill('#f-number', number);
  await officer.click('button[type=submit].primary');
  await officer.waitForURL(new RegExp(`/office/visas/${number}`));
  // The browser would stop an empty reason itself; the server must too.
  await officer.evaluate(() => document.querySelector('#f-reason').removeAttribute('required'));
  await officer.click('form[action$="/revoke"] button[type=submit]');
  await officer.waitForLoadState();
  if (!(await officer.locator('.field.invalid .error, .notice.error').count())) fail('a revocation without a reason was not refused on the page');
  await officer.fill('#f-reason', 'Passport reported stolen (test)');
  await officer.screenshot({ path: join(shots, 'office-visa-revoke.png'), fullPage: true });
  await officer.click('form[action$="/revoke"] button[type=submit]');
  await officer.waitForLoadState();
  await officer.goto(`${base}/office/visas/${number}?lang=en`);
  const visa = await officer.content();
  if (!visa.includes('Revoked') || !visa.includes('Passport reported stolen (test)')) fail('the visa page does not show the revocation');
  if (await officer.locator('form[action$="/revoke"]').count()) fail('a revoked visa still offers revocation');
  await officer.screenshot({ path: join(shots, 'office-visa-revoked.png'), fullPage: true });
  await officer.setViewportSize({ width: 390, height: 844 });
  await officer.goto(`${base}/office/visas/${number}?lang=ru`);
  await officer.screenshot({ path: join(shots, 'office-visa-revoked-ru-390.png'), fullPage: true });
  const wide = await officer.evaluate(() => document.documentElement.scrollWidth);
  if (wide > 390) fail(`the visa page is ${wide} px wide at 390 px`);

  // Every decision is in the audit log, which an auditor reads.
  const auditorLink = addOfficer(env, 'audit.reader@migration.kz', 'auditor');
  const auditor = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
  watch(auditor, problems);
  await setUpAndLogIn(auditor, base, auditorLink, 'audit.reader@migration.kz', 'auditor password 2026');
  await auditor.goto(`${base}/office/audit?lang=en`);
  const log = await auditor.content();
  for (const action of ['inviter.verified', 'screening.approved', 'visa.revoked']) {
    if (!log.includes(action)) fail(`${action} is not in the audit log`);
  }

  if (problems.length) fail(`browser console errors (CSP?): ${problems.join('\n')}`);
  console.log(`office review browser check passed; screenshots in ${shots}`);
} finally {
  await browser.close();
  env.stop();
}
