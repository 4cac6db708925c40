// The group application in headless Chromium (Debian's /usr/bin/chromium; nothing is downloaded):
// two invitations made with `issuer invite` beside the demo one -> sign-up, the mailed
// confirmation link, log in -> "Apply as a group" -> two persons, "Add a person", a third ->
// Jonas travelling with children is refused beside his fields while everyone's data stays ->
// fixed -> the confirmation listing everyone -> one payment of 3 × 80 USD on the sandbox gateway ->
// "Update Status" until each person's e-visa is issued -> each PDF downloads -> the group's
// receipt -> "Visas". Every group page is photographed at 1280 px and 390 px wide
// (docs/screenshots/group-*.png) and must not scroll sideways at 390 px.
//
// Usage (from the repository root, after `cargo build -p issuer`):
//   ISSUER_BIN=target/debug/issuer node issuer/browser-check/group.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { confirmAddress, day, fail, launchBrowser, logIn, payByCard, shots, signUp, startIssuer, watch } from './harness.mjs';

const issuer = await startIssuer('group', { port: '18094', sandboxPort: '18095' });
const { bin, base, data, sandboxPort } = issuer;

const DEMO_BIN = '180240012342';
const travellers = [
  { surname: 'ERIKSSON', given: 'ANNA MARIA', passport: 'L898902C3', citizenship: 'SWE', born: '1974-08-12', sex: 'F' },
  { surname: 'MUELLER', given: 'JONAS', passport: 'C01X00T47', citizenship: 'DEU', born: '1990-01-31', sex: 'M' },
  { surname: 'LI', given: 'WEI', passport: 'E12345678', citizenship: 'CHN', born: '1985-03-14', sex: 'M' },
];

// An invitation from the demo party for a traveller, as the operator's `issuer invite` makes it.
function invite(t) {
  const out = execFileSync(bin, ['invite', '--data-dir', data, '--bin-iin', DEMO_BIN, '--surname', t.surname,
    '--given-names', t.given, '--passport', t.passport, '--citizenship', t.citizenship, '--date-of-birth', t.born,
    '--category', 'tourist', '--purpose', 'Tourism', '--city', 'Astana', '--street', 'Mangilik El', '--house', '55',
    '--valid-from', day(0), '--valid-until', day(60), '--stay-days', '30'], { encoding: 'utf8' });
  const number = out.split('\n')[0].trim();
  if (!/^[A-Z0-9-]{4,20}$/.test(number)) fail(`no invitation number in ${out}`);
  return number;
}

const browser = await launchBrowser();
try {
  const invitations = [
    'INV-DEMO-0001',
    invite(travellers[1]),
    invite(travellers[2]),
  ];
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  watch(page, problems);
  // Each page at 1280 px and at 390 px, which must not scroll sideways.
  const shot = async (name) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(shots, `group-${name}.png`), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(shots, `group-${name}-390.png`), fullPage: true });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    if (wide > 390) problems.push(`group-${name} is ${wide} px wide at 390 px`);
    await page.setViewportSize({ width: 1280, height: 900 });
  };

  await page.goto(`${base}/signup`);
  await signUp(page, 'group.lead@example.com', 'Anna Maria Eriksson', 'a long test password');
  await logIn(page, base, 'group.lead@example.com', 'a long test password');
  await confirmAddress(page, issuer);

  await page.goto(`${base}/services/e-visa`);
  await page.click('text=Apply as a group');
  await page.waitForURL(`${base}/groups/new`);
  await shot('form');
  const fill = async (n, t, invitation, children) => {
    await page.fill(`#f-p${n}-invitation_number`, invitation);
    await page.selectOption(`#f-p${n}-category`, 'tourist');
    await page.fill(`#f-p${n}-surname`, t.surname);
    await page.fill(`#f-p${n}-given_names`, t.given);
    await page.selectOption(`#f-p${n}-sex`, t.sex);
    await page.fill(`#f-p${n}-date_of_birth`, t.born);
    await page.fill(`#f-p${n}-citizenship`, t.citizenship);
    await page.fill(`#f-p${n}-passport_number`, t.passport);
    await page.fill(`#f-p${n}-passport_expiry`, day(3 * 365));
    await page.check(`input[name="p${n}.with_children"][value=${children}]`);
  };
  await fill(1, travellers[0], invitations[0], 'no');
  await fill(2, travellers[1], invitations[1], 'yes');
  await page.click('button[value=add]');
  if (!(await page.isVisible('#f-p3-surname'))) fail('"Add a person" added no block');
  if ((await page.inputValue('#f-p2-passport_number')) !== travellers[1].passport) fail('"Add a person" lost the data');
  await fill(3, travellers[2], invitations[2], 'no');
  await page.click('button[value=next]');
  const childError = await page.locator('#person-2 .error').allTextContents();
  if (!childError.some((e) => e.includes('children'))) fail(`no children error beside person 2: ${childError}`);
  if (await page.locator('#person-1 .error, #person-3 .error').count()) fail('errors beside the other persons');
  if ((await page.inputValue('#f-p3-passport_number')) !== travellers[2].passport) fail('the others\' data was lost');
  await shot('errors');

  await page.check('input[name="p2.with_children"][value=no]');
  await page.click('button[value=next]');
  await page.waitForURL(/\/groups\/[0-9a-f]{32}\/confirm$/);
  const groupUrl = page.url().replace(/\/confirm$/, '');
  const confirmation = await page.content();
  for (const t of travellers) if (!confirmation.includes(t.passport)) fail(`${t.surname} is not on the confirmation`);
  await shot('confirm');
  await page.check('input[name=confirm]');
  await page.click('button[type=submit].primary');
  await page.waitForURL(`${groupUrl}/payment`);
  if (!(await page.content()).includes('<td>240</td>')) fail('the duty is not 3 × 80');
  await shot('payment');

  await page.click('form.pay button[type=submit]');
  await page.waitForURL(new RegExp(`^http://127\\.0\\.0\\.1:${sandboxPort}/pay/`));
  if (!(await page.content()).includes('240')) fail('the gateway does not ask for 240');
  await payByCard(page, 'ANNA ERIKSSON');
  await page.goto(`${groupUrl}/result`);
  for (let i = 0; i < 30 && (await page.locator('text=Copy the visa in PDF format').count()) < 3; i++) {
    await page.waitForTimeout(500);
    if (await page.locator('text=Update Status').count()) await page.click('text=Update Status');
    else await page.reload();
  }
  const links = page.locator('a:has-text("Copy the visa in PDF format")');
  if ((await links.count()) !== 3) fail('not every person got an e-visa');
  await shot('result');
  const names = new Set();
  for (let i = 0; i < 3; i++) {
    const [download] = await Promise.all([page.waitForEvent('download'), links.nth(i).click()]);
    names.add(download.suggestedFilename());
    const path = join(data, `visa-${i}.pdf`);
    await download.saveAs(path);
    if (readFileSync(path).subarray(0, 5).toString() !== '%PDF-') fail('a download is not a PDF');
  }
  if (names.size !== 3) fail(`three distinct printouts expected: ${[...names]}`);
  await page.goto(`${groupUrl}/receipt`);
  const receipt = await page.content();
  if (!receipt.includes('240 USD') || (receipt.match(/80 USD/g) ?? []).length < 3) fail('the receipt does not show 3 × 80 = 240 USD');
  await shot('receipt');
  await page.goto(`${base}/account/visas`);
  const visas = await page.content();
  for (const t of travellers) if (!visas.includes(t.surname)) fail(`${t.surname} is not in Visas`);
  await shot('visas');
  await page.goto(`${base}/groups/new?lang=kk`);
  await shot('form-kk');

  if (problems.length) fail(`problems: ${problems.join('\n')}`);
  console.log(`group browser check passed; screenshots in ${shots}`);
} finally {
  await browser.close();
  issuer.stop();
}
