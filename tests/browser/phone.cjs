// Drives Debian's Chromium (through playwright-core) as a participant's
// phone: joins from the address the projector shows, votes in the open
// round, sends a statement, and runs axe-core on each view.
// Usage: node phone.cjs URL PARTICIPANT READERS_DIR SCREENSHOT_DIR
// Prints one line of JSON with what it saw.
'use strict';
const path = require('path');
const fs = require('fs');
const [url, participant, readers, shots] = process.argv.slice(2);
const { chromium } = require(path.join(readers, 'node_modules/playwright-core'));
const axeSource = fs.readFileSync(path.join(readers, 'node_modules/axe-core/axe.min.js'), 'utf8');

async function axe(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.html) }));
}

(async () => {
  const out = { violations: [], external: [], loaded: {}, steps: [], sealed: [] };
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  try {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    });
    const page = await context.newPage();
    const origin = new URL(url).origin;
    page.on('request', (r) => {
      if (!r.url().startsWith(origin)) out.external.push(r.url());
      // What a listener sees of a request: its sealed size, less the nonce
      // and the seal's tag.
      if (r.method() === 'POST') out.sealed.push(Buffer.from(r.postData() || '', 'base64').length - 40);
    });
    page.on('response', async (r) => {
      if (r.request().method() === 'GET') {
        try { out.loaded[new URL(r.url()).pathname] = (await r.body()).length; } catch (e) { /* gone */ }
      }
    });
    page.on('pageerror', (e) => out.steps.push('page error: ' + e.message));
    await page.goto(url);
    await page.getByRole('button', { name: new RegExp('^' + participant + ' ') }).waitFor();
    out.violations.push(...(await axe(page)).map((v) => ({ view: 'join', ...v })));
    await page.screenshot({ path: path.join(shots, 'phone-join.png'), fullPage: true });
    await page.getByRole('button', { name: new RegExp('^' + participant + ' ') }).click();
    // Until the facilitator lets it in, the phone shows a number to match.
    await page.locator('#asking-number').filter({ hasText: /^[0-9]{2}$/ }).waitFor();
    out.asking = await page.locator('#asking-number').textContent();
    out.violations.push(...(await axe(page)).map((v) => ({ view: 'asking', ...v })));
    await page.screenshot({ path: path.join(shots, 'phone-asking.png') });
    // The test, as the facilitator, lets the phone in once it has seen this.
    console.log('asking ' + out.asking);
    await page.getByText('Your vote is anonymous').waitFor();
    out.steps.push('joined');
    out.about = await page.locator('#vote-about').textContent();
    await page.getByRole('button', { name: '4', exact: true }).click();
    await page.getByText('\u2713 recorded').waitFor();
    // Only the controls of this vote: no dots in a resonance round.
    out.dotsShown = await page.getByRole('button', { name: 'Send my dots' }).isVisible();
    out.steps.push(await page.locator('#vote-mine').textContent());
    out.violations.push(...(await axe(page)).map((v) => ({ view: 'room', ...v })));
    await page.locator('#vote').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'phone-vote.png') });
    await page.getByLabel(/A point or a question/).fill('Nobody asked me when he came home.');
    await page.getByRole('button', { name: 'Send to the facilitator' }).click();
    await page.getByText('waiting for the facilitator').waitFor();
    out.steps.push('said');
    out.target = await page.evaluate(() => {
      // The smallest control, in CSS pixels.
      let min = Infinity;
      document.querySelectorAll('button, textarea').forEach((e) => {
        const r = e.getBoundingClientRect();
        if (r.width > 0 && r.height > 0) min = Math.min(min, r.height, r.width);
      });
      return min;
    });
    // The laptop goes away: the page says so in its own words (it said
    // the browser's "Failed to fetch"), and offers no vote it cannot send.
    await page.route('**/api', (r) => r.abort());
    await page.locator('#status').filter({ hasText: /cannot be reached/ }).waitFor();
    out.gone = await page.locator('#status').textContent();
    out.voteShownWhenGone = await page.locator('#vote').isVisible();
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(out));
})().catch((e) => { console.log(JSON.stringify({ error: String(e && e.stack || e) })); process.exit(1); });
