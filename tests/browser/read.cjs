// Reads the phone page as a participant sees it, at a phone's size and on
// a wide screen: the join view, then the room after joining as PARTICIPANT.
// Usage: node read.cjs URL PARTICIPANT READERS_DIR
// Prints one line of JSON: { views: { "join 390": text, "room 390": text, … } }
'use strict';
const path = require('path');
const [url, participant, readers] = process.argv.slice(2);
const { chromium } = require(path.join(readers, 'node_modules/playwright-core'));

(async () => {
  const out = { views: {} };
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  try {
    for (const width of [390, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: 844 } });
      const page = await context.newPage();
      await page.goto(url);
      const me = page.getByRole('button', { name: new RegExp('^' + participant + ' ') });
      await me.waitFor();
      // Everything the page holds, shown or not.
      out.views['join ' + width] = await page.evaluate(() => document.documentElement.outerHTML + '\n' + document.body.innerText);
      await me.click();
      // The test, as the facilitator, lets the phone in once it asks.
      const number = page.locator('#asking-number').filter({ hasText: /^[0-9]{2}$/ });
      await number.waitFor();
      out.views['asking ' + width] = await page.evaluate(() => document.documentElement.outerHTML + '\n' + document.body.innerText);
      console.log('asking ' + (await number.textContent()));
      await page.locator('#room').waitFor();
      await page.locator('#stage-title').filter({ hasText: /\S/ }).waitFor();
      out.views['room ' + width] = await page.evaluate(() => document.documentElement.outerHTML + '\n' + document.body.innerText);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(out));
})().catch((e) => { console.log(JSON.stringify({ error: String(e && e.stack || e) })); process.exit(1); });
