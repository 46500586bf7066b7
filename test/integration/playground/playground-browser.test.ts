// The playground as a newcomer meets it: `npm start`'s entry point run with no DISCORD_TOKEN, the
// page it prints opened in Debian's Chromium (playwright-core, no browser download), and the
// economy tried by clicking — every step through the real bot, worker, ledger and local Discord.
// Screenshots land in test-results/playground/ and must not be blank.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAYGROUND_ROLES } from '../../../src/playground/playground-world.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';
import { adminQuery, serverUrl } from '../../support/database.js';
import { lowContrastTextsScript } from '../../support/contrast.js';
import { brightnessSpread, saveScreenshot, screenshotDir } from '../../support/screenshots.js';
import { dropPrefix } from '../../support/redis.js';
import { spawnEntry, type SpawnedProcess } from '../../support/spawned-process.js';

const CHROMIUM = '/usr/bin/chromium';
const STARTED = 'started: playground (no DISCORD_TOKEN: the bot runs against a local Discord)';
const suffix = randomUUID().replaceAll('-', '').slice(0, 12);
/** DATABASE_URL names a database nobody creates: the playground must use (and make) its own. */
const realDatabase = `imagine_credits_test_${suffix}`;
const playgroundDatabase = `${realDatabase}_playground`;
const queuePrefix = `playground-test-${suffix}`;

let app: SpawnedProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
  app = await spawnEntry('start.ts', { DATABASE_URL: serverUrl(realDatabase), QUEUE_PREFIX: queuePrefix }, STARTED);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.terminate();
  await adminQuery(`DROP DATABASE IF EXISTS "${playgroundDatabase}" WITH (FORCE)`);
  // The playground puts its jobs under its own keys: QUEUE_PREFIX plus -playground.
  await dropPrefix(`${queuePrefix}-playground`);
});

/** Picks who the page plays and waits until it shows them, live. */
async function playAs(key: string): Promise<void> {
  await page.locator(`#persona-${key}`).check();
  await page.locator(`body[data-ready="${key}"]`).waitFor();
}

/** Types a slash command and its options into the command box, as a keyboard user would, and sends it. */
async function run(command: string, options: Record<string, string> = {}): Promise<void> {
  await page.getByLabel('Slash command').fill(command);
  for (const [name, value] of Object.entries(options)) {
    const field = page.locator(`#option-${name}`);
    if ((await field.evaluate((node) => node.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
  await page.getByLabel('Slash command').press('Enter');
}

const lastMessage = (text: string | RegExp): Locator => page.locator('#messages > li', { hasText: text }).last();
const bucket = (kind: string): Locator => page.locator(`#balance [data-bucket="${kind}"]`);
const credits = async (kind: string): Promise<number> => Number(await bucket(kind).textContent());

async function screenshot(name: string): Promise<void> {
  const png = await page.screenshot();
  await saveScreenshot(name, png);
  expect(await brightnessSpread(png), `${name}.png is blank`).toBeGreaterThan(10);
}

/** Clicks Generate on the newest quote; returns the price it showed. */
async function generateNewestQuote(): Promise<number> {
  const generate = page.getByRole('button', { name: /^Generate \(\d+\)$/ }).last();
  await generate.waitFor();
  const price = Number(/\((\d+)\)/.exec((await generate.textContent()) ?? '')?.[1]);
  await generate.click();
  return price;
}

describe('the playground in a browser', () => {
  let free = 0;
  const charges: number[] = [];

  it('opens on the page the terminal printed, labelled as a playground, usable and labelled for assistive tech', async () => {
    const printed = app.logLines().find((line) => typeof line['page'] === 'string')?.['page'];
    expect(printed).toBe(`${app.baseUrl}/`);
    await page.goto(String(printed));
    await page.locator('body[data-ready="member"]').waitFor();
    expect(await page.title()).toMatch(/Playground/);
    expect(await page.locator('.banner').textContent()).toMatch(/Playground[\s\S]*play credits/i);
    // Every visible control has a label (run in the page; the test's TypeScript has no DOM types).
    const unlabelled = await page.evaluate<string[]>(`[...document.querySelectorAll('input, select, textarea, button')]
      .filter((node) => node.offsetParent !== null)
      .filter((node) => !(node.labels && node.labels.length > 0) && !node.getAttribute('aria-label') && !node.textContent.trim())
      .map((node) => node.outerHTML)`);
    expect(unlabelled).toEqual([]);
    expect(await page.evaluate<string[]>(lowContrastTextsScript)).toEqual([]);
    // …and the contrast check does see grey on grey.
    const probe = await browser.newPage();
    await probe.setContent('<p style="color:#777;background:#888">hard to read</p><p style="color:#111;background:#fff">easy</p>');
    expect(await probe.evaluate<string[]>(lowContrastTextsScript)).toEqual([expect.stringMatching(/^p\. "hard to read": 1\.\d\d:1$/)]);
    await probe.close();
    await screenshot('01-opened');
  });

  it('/balance answers privately, and the side panel shows the same buckets', async () => {
    await run('/balance');
    const answer = lastMessage(/mia: \d+ credits/);
    await answer.waitFor();
    expect(await answer.textContent()).toContain('Only you can see this');
    free = await credits('free');
    expect(free).toBeGreaterThan(0);
    expect(await answer.textContent()).toContain(`mia: ${await credits('available')} credits`);
    await screenshot('02-balance');
  });

  it('/imagine shows a quote with its price; Generate delivers the image with its buttons and the balance drops by the quote', async () => {
    const before = await credits('available');
    await run('/imagine', { prompt: 'a lighthouse at dusk, oil painting' });
    const quote = lastMessage('Why this price');
    await quote.waitFor();
    const price = await generateNewestQuote();
    expect(await quote.textContent()).toMatch(new RegExp(`^[\\s\\S]*${price} credits \\(\\$`));
    charges.push(price);
    const job = page.locator('#messages > li:has(img)').last();
    await job.getByRole('button', { name: /Upscale/ }).waitFor({ timeout: 30_000 });
    const buttons = (await job.getByRole('button').allTextContents()).join(' | ');
    for (const label of ['Upscale', 'Variations', 'Re-roll', 'Keep', 'Edit']) expect(buttons).toContain(label);
    await expect.poll(() => credits('available'), { timeout: 10_000 }).toBe(before - price);
    await screenshot('03-imagined');
  });

  it('Upscale is a new quoted job that delivers its image and charges its quote', async () => {
    const before = await credits('available');
    await page
      .locator('#messages > li:has(img)')
      .last()
      .getByRole('button', { name: /Upscale/ })
      .click();
    const price = await generateNewestQuote();
    charges.push(price);
    await expect.poll(() => page.locator('#messages > li:has(img)').count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => credits('available'), { timeout: 10_000 }).toBe(before - price);
    await screenshot('04-upscaled');
  });

  it('/imagine with an image to start from: the file is uploaded to the local Discord and the bot quotes an img2img', async () => {
    const png = await readFile(path.join(screenshotDir, '03-imagined.png'));
    // Starting from an image takes a model of the starter tier: sam's Supporter role gives it.
    await playAs('supporter');
    await page.getByLabel('Slash command').fill('/imagine');
    await page.locator('#option-prompt').fill('the same, at night');
    await page.locator('#option-image').setInputFiles({ name: 'start.png', mimeType: 'image/png', buffer: png });
    await page.getByLabel('Slash command').press('Enter');
    const quote = lastMessage('the same, at night');
    await quote.waitFor();
    expect(await quote.textContent()).toMatch(/img2img/);
    await screenshot('05-img2img-quote');
    await quote.getByRole('button', { name: 'Cancel' }).click();
    await playAs('member');
  });

  it('Edit: Zoom Out 2× from the private panel, then Vary (Region) from its menu and form; each charges its quote', async () => {
    // Edits take the fill model of the starter tier: sam's Supporter role gives it.
    await playAs('supporter');
    const images = () => page.locator('#messages > li:has(img)').count();
    // Counted from before the first image: the side panel catches up with each charge a moment later.
    const before = await credits('available');
    await run('/imagine', { prompt: 'a tiny island' });
    const first = await generateNewestQuote();
    const withImage = (text: string) => page.locator('#messages > li:has(img)', { hasText: text }).last();
    const island = withImage('a tiny island');
    await island.waitFor({ timeout: 30_000 });
    await island.getByRole('button', { name: /Edit/ }).click();
    const panel = lastMessage('Edit image #1');
    await panel.waitFor();
    await screenshot('05b-edit-panel');
    await panel.getByRole('button', { name: 'Zoom Out 2×' }).click();
    expect(await lastMessage('MP added to 2048x2048').textContent()).toMatch(/Zoom Out 2×/);
    const zoomed = await generateNewestQuote();
    await withImage('Zoom Out 2×').waitFor({ timeout: 30_000 });
    await expect.poll(() => credits('available'), { timeout: 10_000 }).toBe(before - first - zoomed);

    const count = await images();
    await panel.getByLabel(/Vary \(Region\)/).selectOption('centre');
    await panel.getByRole('button', { name: 'Choose' }).click();
    await page.locator('#modal-prompt').fill('a lighthouse in the middle');
    await screenshot('05c-region-form');
    await page
      .locator('#modal-form')
      .getByRole('button', { name: /Send|Submit/ })
      .click();
    expect(await lastMessage('MP repainted of 1024x1024').textContent()).toMatch(/a lighthouse in the middle/);
    const repainted = await generateNewestQuote();
    await expect.poll(images, { timeout: 30_000 }).toBe(count + 1);
    await expect.poll(() => credits('available'), { timeout: 10_000 }).toBe(before - first - zoomed - repainted);
    await playAs('member');
  });

  it('/history shows both charges', async () => {
    await run('/history');
    const history = lastMessage('Your credit history');
    await history.waitFor();
    const text = (await history.textContent()) ?? '';
    for (const charge of charges) expect(text).toContain(`−${charge} · Image job`);
    await screenshot('05-history');
  });

  it('the owner maps a role to a tier, and a member with that role sees the tier’s credits', async () => {
    const card = await loadPriceCardOrThrow();
    const pro = card.tiers.find((tier) => tier.name === 'pro')!;
    await playAs('owner');
    expect(await page.locator('#owner-tools').isVisible()).toBe(true);
    // The command box offers what the bot's autocomplete answers: the card's tiers.
    await page.getByLabel('Slash command').fill('/admin tier set');
    await page.locator('#option-tier').pressSequentially('p');
    await expect
      .poll(() => page.locator('#option-tier-choices option').evaluateAll((options) => options.map((option) => option.getAttribute('value'))))
      .toContain('pro');
    await page.getByLabel('Slash command').fill('');
    await page.locator('#map-role').selectOption(PLAYGROUND_ROLES[1]!.id);
    await page.locator('#map-tier').selectOption('pro');
    await page.getByRole('button', { name: 'Map role' }).click();
    const answer = lastMessage(/Patron now gives Pro/);
    await answer.waitFor();
    expect(await answer.textContent()).toContain('Only you can see this');
    // The channel keeps the newest message in view, as Discord's does (images loading above included).
    const inView = async () => {
      const box = await answer.boundingBox();
      return box !== null && box.y >= 0 && box.y + box.height <= 900;
    };
    await expect.poll(inView).toBe(true);
    await screenshot('06-owner-mapped-role');
    await playAs('patron');
    expect(await page.locator('#balance-tier').textContent()).toBe('Tier: pro');
    expect(await credits('tier')).toBe(pro.allowance);
    await screenshot('07-patron-tier');
  });

  it('a simulated purchase adds the pack once, by card and in the Discord store, however often it is delivered', async () => {
    const card = await loadPriceCardOrThrow();
    const pack = card.packs[0]!;
    await playAs('member');
    const memberTopups = await credits('topup');
    await playAs('supporter');
    const supporterTopups = await credits('topup');

    await playAs('owner');
    const note = page.locator('#owner-note');
    await page.locator('#purchase-buyer').selectOption('member');
    await page.locator('#purchase-pack').selectOption(pack.id);
    await page.getByRole('button', { name: 'Card payment (Stripe)' }).click();
    await expect.poll(() => note.textContent()).toMatch(/^card: the bot's webhook answered 200 .*"granted":true/);
    await page.getByRole('button', { name: 'Send the last one again' }).click();
    await expect.poll(() => note.textContent()).toMatch(/^sent again: card: the bot's webhook answered 200 .*"granted":false/);

    await page.locator('#purchase-buyer').selectOption('supporter');
    await page.getByRole('button', { name: 'Discord store purchase' }).click();
    await expect.poll(() => note.textContent()).toMatch(/^Discord: entitlement/);
    await page.getByRole('button', { name: 'Send the last one again' }).click();
    await expect.poll(() => note.textContent()).toMatch(/^sent again: Discord entitlement/);

    await playAs('member');
    await expect.poll(() => credits('topup'), { timeout: 10_000 }).toBe(memberTopups + pack.credits);
    await playAs('supporter');
    await expect.poll(() => credits('topup'), { timeout: 10_000 }).toBe(supporterTopups + pack.credits);
    // The bot told the buyer, in a direct message only they see.
    expect(await page.locator('#dms > li').count()).toBeGreaterThan(0);
    // Re-delivered Discord events are handled asynchronously: give the duplicate time to (not) land.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await playAs('member');
    await playAs('supporter');
    expect(await credits('topup')).toBe(supporterTopups + pack.credits);
    await screenshot('08-purchased');
  });

  it('/topup sells by card through a checkout page that pays the bot’s webhook once, and in the Discord store', async () => {
    const card = await loadPriceCardOrThrow();
    const pack = card.packs[0]!;
    await playAs('member');
    const before = await credits('topup');
    await run('/topup');
    const packs = lastMessage('Credit packs');
    await packs.waitFor();
    await packs.getByRole('button', { name: new RegExp(`Buy ${pack.credits} with card`) }).click();
    const pay = lastMessage('pay on Stripe').getByRole('link', { name: /Pay \$\d+\.\d\d with card/ });
    await pay.waitFor();
    const checkoutUrl = (await pay.getAttribute('href'))!;
    expect(checkoutUrl.startsWith(`${app.baseUrl}/checkout/`)).toBe(true);
    await page.goto(checkoutUrl);
    expect(await page.locator('main').textContent()).toMatch(/Playground: no card, no money/);
    await screenshot('09-checkout');
    await page.getByRole('button', { name: /Pay \$\d+\.\d\d \(simulated\)/ }).click();
    await page.locator('body[data-ready="member"]').waitFor();
    await expect.poll(() => credits('topup'), { timeout: 10_000 }).toBe(before + pack.credits);
    // The page again: already paid, and nothing more is granted.
    await page.goto(checkoutUrl);
    expect(await page.locator('main').textContent()).toMatch(/Already paid/);
    await page.goto(`${app.baseUrl}/?as=member`);
    await page.locator('body[data-ready="member"]').waitFor();
    expect(await credits('topup')).toBe(before + pack.credits);
    // Messages, embeds, buttons of every style, ephemeral notes: all readable (WCAG AA contrast).
    expect(await page.evaluate<string[]>(lowContrastTextsScript)).toEqual([]);

    // The store's (premium) button on the same answer: the member buys the pack in the Discord store.
    await run('/topup');
    await lastMessage('Credit packs')
      .getByRole('button', { name: new RegExp(`${pack.credits} credits .* Discord store`) })
      .click();
    await expect.poll(() => credits('topup'), { timeout: 10_000 }).toBe(before + 2 * pack.credits);
  });

  it('/subscribe sells plans in the Discord store: a member subscribes and gets the tier and its credits, and /balance says so', async () => {
    await playAs('supporter');
    await run('/balance');
    await lastMessage(/sam: \d+ credits/).waitFor();
    const before = await credits('tier');
    await run('/subscribe');
    const plans = lastMessage('Plans');
    await plans.waitFor();
    await plans.getByRole('button', { name: /Ultra weekly · \$7\.99 \/ week in the Discord store/ }).click();
    // The plan's week is granted once, to the buyer, in every server: here the tier bucket grows by it.
    await expect.poll(() => credits('tier'), { timeout: 10_000 }).toBe(before + 1000);
    await run('/balance');
    const shown = lastMessage(/Your tier: Ultra/);
    await shown.waitFor();
    expect(await shown.textContent()).toMatch(/Your tier: Ultra — your Discord plan \(weekly\), renews/);
    await screenshot('10-plan');
  });

  it('is usable on a phone-sized window: nothing scrolls sideways and the command box is reachable', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    try {
      await phone.goto(`${app.baseUrl}/?as=member`);
      await phone.locator('body[data-ready="member"]').waitFor();
      expect(await phone.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
      await phone.getByLabel('Slash command').scrollIntoViewIfNeeded();
      expect(await phone.getByLabel('Slash command').isVisible()).toBe(true);
      const png = await phone.screenshot();
      await saveScreenshot('10-phone', png);
      expect(await brightnessSpread(png)).toBeGreaterThan(10);
    } finally {
      await phone.close();
    }
  });

  it('refuses bad input with a message and sends nothing', async () => {
    const messages = await page.locator('#messages > li').count();
    await page.getByLabel('Slash command').fill('/imagine');
    await page.getByLabel('Slash command').press('Enter');
    await expect.poll(() => page.locator('#composer-error').textContent()).toBe('"prompt" is required');
    const response = await page.request.post(`${app.baseUrl}/api/command`, { data: { as: 'member', name: 'admin', path: ['credits', 'grant'], values: {} } });
    expect(response.status()).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/no command \/admin for you/);
    expect(await page.locator('#messages > li').count()).toBe(messages);
  });

  it('answers only to this machine’s names (no DNS rebinding), on 127.0.0.1 only', async () => {
    const status = (host: string) =>
      new Promise<number | undefined>((resolve, reject) => {
        request(`${app.baseUrl}/api/state?as=owner`, { headers: { host } }, (response) => {
          response.resume();
          resolve(response.statusCode);
        })
          .on('error', reject)
          .end();
      });
    expect(await status('evil.example')).toBe(403);
    expect(await status(new URL(app.baseUrl).host)).toBe(200);
    // Not on this machine's other addresses.
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((address) => address !== undefined && address.family === 'IPv4' && !address.internal)
      .map((address) => address!.address);
    const port = Number(new URL(app.baseUrl).port);
    for (const address of others) {
      const refused = await new Promise<boolean>((resolve) => {
        const socket = connect(port, address);
        socket.once('connect', () => (socket.destroy(), resolve(false)));
        socket.once('error', () => resolve(true));
      });
      expect(refused, `${address}:${port}`).toBe(true);
    }
  });

  it('stops cleanly on SIGTERM while a page is still connected to its event stream', async () => {
    const { code, ms } = await app.terminate();
    expect(code).toBe(0);
    expect(ms).toBeLessThan(15_000);
  });
});
