// Driving the Agents Playground's web UI with playwright-core. Selectors are the playground's
// accessible names (aria-label, roles) and the Adaptive Cards renderer's `ac-` classes; the
// playground's own CSS classes are generated and change between builds, so none are used.
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, sleep } from './kit';

export interface Browser {
  context: BrowserContext;
  userDataDir: string;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Headless Debian chromium with a fresh profile (never a downloaded Playwright browser). */
export async function launchBrowser(opts: { viewport?: { width: number; height: number }; userDataDir?: string } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: run \`bash scripts/ensure-chromium.sh\` (installs Debian's chromium) or set CHROMIUM_PATH`);
  }
  const userDataDir = opts.userDataDir ?? mkdtempSync(path.join(os.tmpdir(), 'plan-switch-chromium-'));
  mkdirSync(userDataDir, { recursive: true });
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    // Below about 1250 px the playground folds its chat list behind a menu button.
    viewport: opts.viewport ?? { width: 1280, height: 1400 },
    locale: 'en-US',
    timezoneId: 'Europe/Amsterdam',
  });
  const first = context.pages()[0];
  let firstUsed = false;
  return {
    context,
    userDataDir,
    async newPage() {
      if (first && !firstUsed) {
        firstUsed = true;
        return first;
      }
      return context.newPage();
    },
    close: () => context.close(),
  };
}

export const CARD = '.ac-adaptiveCard';

/** One person's view of the playground: their personal chat with the bot. */
export class PlaygroundChat {
  constructor(
    readonly page: Page,
    readonly url: string,
    readonly who: string,
  ) {}

  /**
   * Opens the playground as `who` (its configured current user), opens the personal chat, hides
   * the log panel (more room for the chat).
   */
  async open(): Promise<void> {
    await this.page.goto(this.url);
    // The header shows the signed-in user once the playground has loaded its configuration.
    await this.page.getByText(this.who, { exact: true }).first().waitFor({ state: 'visible', timeout: 30_000 });
    const personal = this.page.locator('button[aria-label="Personal Chat"]');
    await personal.click();
    await this.messageBox().waitFor({ state: 'visible', timeout: 15_000 });
    const logPanel = this.page.getByText('Log Panel', { exact: true });
    if (await logPanel.isVisible()) {
      await this.page.locator('button[title="Toggle Log Panel"]').click();
      await logPanel.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    }
  }

  messageBox(): Locator {
    return this.page.locator('[role="textbox"][contenteditable="true"]');
  }

  /** Types a message into the compose box and sends it. */
  async send(text: string): Promise<void> {
    const box = this.messageBox();
    await box.click();
    await box.fill(text);
    await this.page.locator('button[aria-label="Send Message"]').click();
    // The sent message shows up on the right.
    await this.page.getByText(text, { exact: true }).last().waitFor({ state: 'visible', timeout: 10_000 });
  }

  /** Every Adaptive Card in the chat that shows `text`. */
  cards(text?: string | RegExp): Locator {
    const all = this.page.locator(CARD);
    return text === undefined ? all : all.filter({ hasText: text });
  }

  /** Cards with a button of this exact name. */
  cardsWithButton(name: string): Locator {
    return this.page.locator(CARD).filter({ has: this.page.getByRole('button', { name, exact: true }) });
  }

  /** Waits for the newest card that shows `text` and returns it. */
  async waitForCard(text: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
    const card = this.cards(text).last();
    await card.waitFor({ state: 'visible', timeout: timeoutMs });
    return card;
  }

  /** Clicks a card button (an Action.Execute sends an adaptiveCard/action invoke to the bot). */
  async click(card: Locator, name: string): Promise<void> {
    const button = card.getByRole('button', { name, exact: true });
    await button.scrollIntoViewIfNeeded();
    await button.click();
  }

  async text(card: Locator): Promise<string> {
    return (await card.innerText()).replace(/\s+\n/g, '\n').trim();
  }

  /** Polls until `card` shows `text` (cards are replaced in place by invoke answers and updates). */
  async waitForText(card: Locator, text: RegExp, timeoutMs = 30_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < until) {
      last = await card.innerText().catch(() => '');
      if (text.test(last)) return last;
      await sleep(200);
    }
    throw new Error(`${this.who}: the card never showed ${text} within ${timeoutMs} ms; it shows:\n${last}`);
  }

  /** A screenshot of the whole playground window with `focus` scrolled into view. */
  async screenshot(file: string, focus?: Locator): Promise<string> {
    mkdirSync(path.dirname(file), { recursive: true });
    if (focus) await focus.scrollIntoViewIfNeeded();
    // Let the renderer settle (fonts, the card's own layout pass) without a fixed long sleep.
    await this.page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    await this.page.screenshot({ path: file });
    return file;
  }
}
