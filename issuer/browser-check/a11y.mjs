// Accessibility check of the portal, the sandbox e-pay gateway and "Check your printout", in headless
// Chromium (Debian's /usr/bin/chromium; nothing is downloaded), with one issuer instance:
//
// 1. The whole applicant flow with the keyboard only (Tab, Shift+Tab, Enter, Space and typing; no
//    mouse click): the skip link, sign-up, the mailed confirmation link (opened by its address, as
//    a mail program would), log-in, Step 1 refused (the focus must land on the error summary, whose
//    links lead to the fields) and then filled, the confirmation, Step 2, the gateway's card form
//    with a card that stays pending (the waiting page must not reload itself: it announces the
//    answer in a polite live region and the focus stays where it was), the electronic check, back
//    to the portal, "Update Status", and the e-visa PDF downloaded.
// 2. axe-core (axe.mjs) on every page met on the way and the visitors' pages, each once in
//    English, Russian and Kazakh; any serious or critical violation fails, the others are summed up.
// 3. What axe cannot judge: the masthead's white text on its gradient (4.5:1 at 1280 and 390 px),
//    the focus ring of a blue button and of a gateway input (3:1 against what surrounds it), and
//    the `lang` of the page and of the blocks in another language.
//
// Usage (from the repository root, after `cargo build -p issuer`):
//   ISSUER_BIN=target/debug/issuer node issuer/browser-check/a11y.mjs
// SHOTS_DIR (default docs/screenshots) receives a11y-*.png at 1280 and 390 px.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Axe } from './axe.mjs';
import { fail, launchBrowser, mailedLink, shots, startIssuer, watch } from './harness.mjs';

const issuer = await startIssuer('a11y', { port: '18094', sandboxPort: '18095' });
const { base, data, sandboxPort } = issuer;
const gateway = `http://127.0.0.1:${sandboxPort}`;
const LANGS = ['en', 'ru', 'kk'];

const withLang = (url, lang) => `${url}${url.includes('?') ? '&' : '?'}lang=${lang}`;

/** The focused element, described. */
const active = (page) => page.evaluate(() => {
  const e = document.activeElement;
  if (!e || e === document.body) return { tag: 'body', id: '', name: '', type: '', value: '', href: '', cls: '', text: '' };
  return {
    tag: e.tagName.toLowerCase(),
    id: e.id,
    name: e.getAttribute('name') ?? '',
    type: e.getAttribute('type') ?? '',
    value: e.getAttribute('value') ?? '',
    href: e.getAttribute('href') ?? '',
    cls: typeof e.className === 'string' ? e.className : '',
    text: (e.innerText ?? '').trim().replace(/\s+/g, ' ').slice(0, 100),
  };
});

/** Presses Tab until the focused element passes `test`; fails after `max` presses. */
async function tabTo(page, what, test, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const a = await active(page);
    if (test(a)) return a;
  }
  fail(`Tab never reached ${what} on ${page.url()}`);
}
const byId = (id) => (a) => a.id === id;
const byText = (text) => (a) => a.text.includes(text);

/** Presses a key that leads to another page, and waits for it. */
async function pressAndWait(page, key = 'Enter') {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press(key)]);
}

/** Tabs to the field `id` and types `text` into it. */
async function typeInto(page, id, text) {
  await tabTo(page, `#${id}`, byId(id));
  await page.keyboard.type(text);
}

/**
 * The focused element's outline: it must be drawn, at least 2 px wide, and at 3:1 or more against
 * the background behind the ring (the first opaque background up the tree; and the element's own
 * when the ring touches it).
 */
async function focusRing(page, what) {
  const ring = await page.evaluate(() => {
    const rgb = (s) => (s.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (c) => { const v = c / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const opaque = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const e = document.activeElement;
    const s = getComputedStyle(e);
    const outline = rgb(s.outlineColor).slice(0, 3);
    const behind = opaque(e.parentElement);
    const offset = parseFloat(s.outlineOffset);
    const own = opaque(e);
    return {
      style: s.outlineStyle,
      width: parseFloat(s.outlineWidth),
      offset,
      behind: ratio(outline, behind),
      own: offset > 0 ? null : ratio(outline, own),
    };
  });
  const lowest = Math.min(ring.behind, ring.own ?? Infinity);
  if (ring.style === 'none' || ring.width < 2 || lowest < 3) {
    fail(`${what}: the focus ring is too faint: ${JSON.stringify(ring)}`);
  }
  return lowest;
}

/**
 * The lowest contrast of the masthead's text on its gradient, sampled across the text's own
 * width (the gradient's stops interpolated where the text stands).
 */
const mastheadContrast = (page) => page.evaluate(() => {
  const rgb = (s) => (s.match(/[\d.]+/g) ?? []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { const v = c / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const band = document.querySelector('.masthead');
  const image = getComputedStyle(band).backgroundImage;
  const stops = [...image.matchAll(/rgba?\(([^)]*)\)\s*([\d.]+)%/g)]
    .map((m) => ({ color: m[1].split(',').map(Number).slice(0, 3), at: Number(m[2]) / 100 }));
  if (stops.length < 2) return { error: `no gradient: ${image}` };
  const box = band.getBoundingClientRect();
  const colorAt = (x) => {
    const t = Math.min(1, Math.max(0, (x - box.left) / box.width));
    let i = 0;
    while (i < stops.length - 2 && t > stops[i + 1].at) i++;
    const [a, b] = [stops[i], stops[i + 1]];
    const k = b.at === a.at ? 0 : Math.min(1, Math.max(0, (t - a.at) / (b.at - a.at)));
    return a.color.map((c, j) => c + (b.color[j] - c) * k);
  };
  let lowest = Infinity;
  for (const el of band.querySelectorAll('.portal-name, .portal-sub')) {
    const r = el.getBoundingClientRect();
    const ink = rgb(getComputedStyle(el).color).slice(0, 3);
    if (Number(getComputedStyle(el).opacity) < 1) return { error: `${el.className} has opacity` };
    for (let i = 0; i <= 20; i++) lowest = Math.min(lowest, ratio(ink, colorAt(r.left + (r.width * i) / 20)));
  }
  return { lowest };
});

// The date inputs' segment order follows the browser's own language: month, day, year.
const browser = await launchBrowser(['--lang=en-US']);
const axe = new Axe();
const measured = [];
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  const page = await context.newPage();
  const problems = [];
  watch(page, problems);
  const shot = async (name) => {
    await page.screenshot({ path: join(shots, `a11y-${name}.png`), fullPage: true });
    const width = page.viewportSize().width;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(shots, `a11y-${name}-390.png`), fullPage: true });
    await page.setViewportSize({ width, height: 900 });
  };
  /** axe on `url` in the three languages (the page left in English). */
  const scan = async (name, url) => {
    for (const lang of LANGS) {
      await page.goto(withLang(url, lang));
      const declared = await page.evaluate(() => document.documentElement.lang);
      if (declared !== lang) fail(`${name} (${lang}) declares lang="${declared}"`);
      await axe.check(page, `${name} (${lang})`);
    }
    await page.goto(withLang(url, 'en'));
  };

  // The visitors' pages.
  await scan('Portal Services', `${base}/services`);
  await scan('Electronic visa', `${base}/services/e-visa`);
  await scan('sign-up', `${base}/signup`);
  await scan('log-in', `${base}/login`);
  await scan('log-in with a digital signature', `${base}/login?tab=eds`);
  await scan('forgot password', `${base}/password/forgot`);
  await scan('check your printout', `${base}/check`);
  await scan('back office log-in', `${base}/office/login`);
  for (const lang of LANGS) {
    // The error page, in the portal's frame, declares the language it is written in.
    await page.goto(withLang(`${base}/no-such-page`, lang));
    const declared = await page.evaluate(() => document.documentElement.lang);
    if (declared !== lang) fail(`the 404 page in ${lang} declares ${declared}`);
    await axe.check(page, `404 (${lang})`);
  }
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    for (const lang of LANGS) {
      await page.goto(`${base}/services?lang=${lang}`);
      const { lowest, error } = await mastheadContrast(page);
      if (error || lowest < 4.5) fail(`the masthead's text at ${width} px (${lang}): ${error ?? `${lowest.toFixed(2)}:1`}`);
      measured.push(`masthead text ${width} px ${lang}: ${lowest.toFixed(2)}:1`);
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  // The keyboard walk. The skip link is the first Tab stop and leads to the main content.
  await page.goto(`${base}/services?lang=en`);
  await page.keyboard.press('Tab');
  if ((await active(page)).cls !== 'skip-link') fail(`the first Tab stop is not the skip link: ${JSON.stringify(await active(page))}`);
  measured.push(`skip link ring: ${(await focusRing(page, 'the skip link')).toFixed(1)}:1`);
  await shot('skip-link');
  await page.keyboard.press('Enter');
  if ((await active(page)).id !== 'main') fail('the skip link did not move the focus to the main content');

  await tabTo(page, 'Sign Up', (a) => a.href === '/signup');
  await pressAndWait(page);
  await typeInto(page, 'f-email', 'aliya.keyboard@example.com');
  await typeInto(page, 'f-full_name', 'Aliya Keyboard');
  await typeInto(page, 'f-password', 'only keys, never a mouse');
  await typeInto(page, 'f-password_again', 'only keys, never a mouse');
  await pressAndWait(page);
  if (!(await page.content()).includes('Check your e-mail')) fail('sign-up by keyboard did not ask to check the e-mail');
  await page.goto(await mailedLink(issuer, 'verify_address', '/account/confirm/'));
  await tabTo(page, 'the confirm button', (a) => a.tag === 'button' && a.cls.includes('primary'));
  await pressAndWait(page);
  if (!(await page.content()).includes('Your address is confirmed')) fail('the address was not confirmed by keyboard');
  await tabTo(page, 'Log in', (a) => a.href === '/login');
  await pressAndWait(page);
  await typeInto(page, 'f-identifier', 'aliya.keyboard@example.com');
  await typeInto(page, 'f-password', 'only keys, never a mouse');
  await pressAndWait(page);
  if (!page.url().startsWith(`${base}/services`)) fail(`log-in by keyboard ended on ${page.url()}`);

  await tabTo(page, 'Electronic visa', (a) => a.href === '/services/e-visa' && a.cls.includes('tile'));
  await pressAndWait(page);
  await tabTo(page, 'Get a visa', (a) => a.href === '/apply');
  await pressAndWait(page);
  await scan('Step 1', `${base}/apply`);

  // Step 1 sent empty: refused, and the focus is on the error summary.
  for (const lang of ['ru', 'kk', 'en']) {
    await page.goto(`${base}/apply?lang=${lang}`);
    await tabTo(page, 'Next', (a) => a.tag === 'button' && a.type === 'submit' && a.cls.includes('primary'));
    await pressAndWait(page);
    // `autofocus` is applied at the first rendering after the load, not at the load itself.
    let focused = await active(page);
    for (let i = 0; i < 20 && !focused.cls.includes('error-summary'); i++) {
      await page.waitForTimeout(100);
      focused = await active(page);
    }
    if (!focused.cls.includes('error-summary')) fail(`after a refused Step 1 (${lang}) the focus is on ${JSON.stringify(focused)}`);
    await axe.check(page, `Step 1 refused (${lang})`);
  }
  // Each refused field says what is wrong and is linked to it; the dropdowns and the children
  // question included.
  const unlinked = await page.evaluate(() => [...document.querySelectorAll('.field.invalid')].flatMap((f) => {
    const controls = [...f.querySelectorAll('input, select')];
    const error = f.querySelector('.error');
    return controls.filter((c) => c.getAttribute('aria-invalid') !== 'true'
      || !error || !(c.getAttribute('aria-describedby') ?? '').split(' ').includes(error.id)).map((c) => c.id || c.name);
  }));
  if (unlinked.length) fail(`errors not linked to their fields: ${unlinked}`);
  for (const id of ['f-category', 'f-sex', 'f-with_children']) {
    if (!(await page.$(`#${id}[aria-describedby]`))) fail(`#${id} is not linked to its error`);
  }
  await shot('step1-error-summary');
  // The summary's first link leads to the invitation number's field.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  if ((await active(page)).id !== 'f-invitation_number') fail(`the summary's link led to ${JSON.stringify(await active(page))}`);
  await page.keyboard.type('INV-DEMO-0001');
  await tabTo(page, 'the category', byId('f-category'));
  await page.keyboard.type('Tourist');
  await typeInto(page, 'f-surname', 'ERIKSSON');
  await typeInto(page, 'f-given_names', 'ANNA MARIA');
  await typeInto(page, 'f-surname_native', 'Эрикссон');
  await tabTo(page, 'the sex', byId('f-sex'));
  await page.keyboard.type('Female');
  await typeInto(page, 'f-date_of_birth', '08121974');
  await typeInto(page, 'f-citizenship', 'SWE');
  await typeInto(page, 'f-passport_number', 'L898902C3');
  await typeInto(page, 'f-passport_expiry', '06302031');
  await tabTo(page, 'the children question', byId('f-with_children'));
  await page.keyboard.press('Space');
  const form = await page.evaluate(() => ({
    category: document.querySelector('#f-category').value,
    sex: document.querySelector('#f-sex').value,
    born: document.querySelector('#f-date_of_birth').value,
    children: document.querySelector('input[name=with_children]:checked')?.value,
  }));
  if (form.category !== 'tourist' || form.sex !== 'F' || form.born !== '1974-08-12' || form.children !== 'no') {
    fail(`Step 1 typed by keyboard holds ${JSON.stringify(form)}`);
  }
  await tabTo(page, 'Next', (a) => a.tag === 'button' && a.cls.includes('primary'));
  measured.push(`blue button ring (portal): ${(await focusRing(page, 'the Next button')).toFixed(1)}:1`);
  await shot('focus-next');
  await pressAndWait(page);
  if (!/\/applications\/[0-9a-f]{32}\/confirm$/.test(page.url())) fail(`Step 1 by keyboard ended on ${page.url()}`);
  const confirmUrl = page.url();
  await scan('confirmation', confirmUrl);
  await tabTo(page, 'the confirmation box', (a) => a.name === 'confirm');
  await page.keyboard.press('Space');
  await tabTo(page, 'Next', (a) => a.tag === 'button' && a.cls.includes('primary'));
  await pressAndWait(page);
  if (!page.url().endsWith('/payment')) fail(`the confirmation by keyboard ended on ${page.url()}`);
  await scan('Step 2', page.url());
  await tabTo(page, 'To pay', (a) => a.tag === 'button' && a.cls.includes('primary'));
  await pressAndWait(page);
  if (!page.url().startsWith(`${gateway}/pay/`)) fail(`"To pay" led to ${page.url()}`);
  const payUrl = page.url().split('?')[0];

  // The gateway: its pages in three languages, the purpose marked in the portal's language.
  await scan('gateway: method', payUrl);
  for (const lang of ['ru', 'kk']) {
    await page.goto(withLang(payUrl, lang));
    if (!(await page.$('.summary dd[lang=en]'))) fail(`the English purpose is not marked on the ${lang} gateway page`);
  }
  await page.goto(withLang(payUrl, 'en'));
  await tabTo(page, 'Payment card', (a) => a.href.endsWith('/card'));
  await pressAndWait(page);
  await scan('gateway: card form', `${payUrl}/card`);
  for (const lang of ['ru', 'kk', 'en']) {
    await page.goto(withLang(`${payUrl}/card`, lang));
    await tabTo(page, 'Pay', (a) => a.tag === 'button' && a.type === 'submit');
    await pressAndWait(page);
    await axe.check(page, `gateway: card form refused (${lang})`);
  }
  await typeInto(page, 'number', '4000 0000 0000 0044');
  measured.push(`gateway input ring: ${(await focusRing(page, 'the card number')).toFixed(1)}:1`);
  await typeInto(page, 'expiry', '12/30');
  await typeInto(page, 'cvv', '123');
  await typeInto(page, 'holder', 'ANNA ERIKSSON');
  await tabTo(page, 'Pay', (a) => a.tag === 'button' && a.type === 'submit');
  measured.push(`blue button ring (gateway): ${(await focusRing(page, 'the Pay button')).toFixed(1)}:1`);
  await shot('gateway-focus-pay');
  await pressAndWait(page);

  // The waiting page (this card stays pending for 20 s): no timed reload, a polite live region.
  if (!(await page.$('[data-waiting]'))) fail('no waiting page after paying');
  await scan('gateway: waiting', payUrl);
  if (await page.$('meta[http-equiv]')) fail('the waiting page still reloads itself');
  const pageLoads = await page.evaluate(() => performance.timeOrigin);
  await tabTo(page, 'Check for the answer', byId('wait-next'));
  await shot('gateway-waiting');
  for (let i = 0; i < 60 && !(await page.textContent('#wait-status')).trim(); i++) await page.waitForTimeout(500);
  const announced = (await page.textContent('#wait-status')).trim();
  if (!announced.includes('The answer has arrived')) fail(`the waiting page never announced the answer: "${announced}"`);
  if ((await page.evaluate(() => performance.timeOrigin)) !== pageLoads) fail('the waiting page reloaded');
  if ((await active(page)).id !== 'wait-next') fail('the focus moved while waiting');
  if ((await page.getAttribute('#wait-status', 'aria-live')) !== 'polite') fail('the answer is not in a polite live region');
  await shot('gateway-answer-arrived');
  await pressAndWait(page);
  if (!(await page.$('article.receipt'))) fail('"See the answer" did not show the electronic check');
  await scan('gateway: electronic check', payUrl);
  await shot('gateway-receipt');
  await tabTo(page, 'Return to the portal', (a) => a.href.includes('/result') && a.cls.includes('primary'));
  await pressAndWait(page);

  // Back on the portal: "Update Status" (the pending card sent no callback) until approved.
  for (let i = 0; i < 30 && !(await page.content()).includes('Approved. Payment completed'); i++) {
    await tabTo(page, 'Update Status', byText('Update Status'));
    await pressAndWait(page);
  }
  if (!(await page.content()).includes('Copy the visa in PDF format')) fail('the visa was not approved');
  const resultUrl = page.url();
  await scan('Step 3', resultUrl);
  await tabTo(page, 'the PDF', byText('Copy the visa in PDF format'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  const pdf = join(data, 'visa.pdf');
  await download.saveAs(pdf);
  if (readFileSync(pdf).subarray(0, 5).toString() !== '%PDF-') fail('the keyboard download is not a PDF');

  await scan('Visas', `${base}/account/visas`);
  await shot('visas');
  await scan('receipt', resultUrl.replace(/result$/, 'receipt'));
  await scan('inviting party', `${base}/inviter`);

  // "Check your printout" with the PDF just downloaded: the verdict in each language.
  for (const lang of LANGS) {
    await page.goto(`${base}/check?lang=${lang}`);
    await page.setInputFiles('#f-file', pdf);
    await tabTo(page, 'Check', (a) => a.tag === 'button' && a.cls.includes('primary'));
    await pressAndWait(page);
    if (!(await page.$('.verdict'))) fail(`no verdict on /check (${lang})`);
    await axe.check(page, `check verdict (${lang})`);
  }

  if (problems.length) fail(`browser console errors (CSP?): ${problems.join('\n')}`);
  console.log(measured.join('\n'));
  axe.report();
  console.log(`a11y check passed: the keyboard walk from sign-up to the PDF, ${axe.pages.length} pages under axe-core; screenshots in ${shots}`);
} finally {
  await browser.close();
  issuer.stop();
}
