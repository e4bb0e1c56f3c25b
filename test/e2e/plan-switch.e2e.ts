// End to end in a real client: the bot on the demo tenant, driven through Microsoft 365 Agents
// Playground in headless Chromium. Two people, each in their own playground (the playground has
// one signed-in user per instance, and a personal chat only holds that user and the bot):
//
//   requester  types `move group Sales to E3`, reads the preflight card, asks for approval
//   approver   gets the approval card in their own chat with the bot and clicks Approve
//   requester  sees the completion notice
//
// Screenshots of every step go to var/e2e-screenshots/ (ignored by git; E2E_SCREENSHOTS overrides
// the folder), so a test run leaves the tracked docs/screenshots/ alone: `npm run screenshots`
// runs the same test with E2E_SCREENSHOTS=docs/screenshots to refresh the README's pictures.
// Run: npm run test:e2e (builds, makes sure chromium and an emoji font are installed, runs the e2e specs).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ROOT,
  freePort,
  startBot,
  startPlayground,
  tail,
  writePlaygroundConfig,
  type BotProcess,
  type PlaygroundConfigFile,
  type PlaygroundProcess,
  type PlaygroundUser,
} from './kit';
import { launchBrowser, PlaygroundChat, type Browser } from './playground-ui';

const REQUESTER = process.env.E2E_REQUESTER || 'sanne.devries@contoso.example';
const APPROVER = process.env.E2E_APPROVER || 'pieter.bakker@contoso.example';
const COMMAND = 'move group Sales to E3';
const SHOTS = path.resolve(ROOT, process.env.E2E_SCREENSHOTS || 'var/e2e-screenshots');

// What the cards say (src/i18n/en.ts), kept loose on purpose.
const T = {
  preflight: /Preflight check/,
  requestApproval: 'Request approval',
  includeDirect: 'Check again, including direct copies',
  directIncluded: /Direct copies .* are included in this change/i,
  request: /Change request \d+/,
  waiting: /Waiting for approval/,
  approve: 'Approve',
  afterApprove: /Running|Approved|Completed|Partly done|Failed/i,
  finished: (id: string) => new RegExp(`Change request ${id} finished`),
  completed: /Done: every member has the new plan/,
};

interface GraphUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
}

async function graph<T>(base: string, pathAndQuery: string): Promise<T> {
  const res = await fetch(`${base}${pathAndQuery}`);
  const body = await res.text();
  if (!res.ok) throw new Error(`GET ${pathAndQuery} on the sandbox: ${res.status} ${body.slice(0, 300)}`);
  return JSON.parse(body) as T;
}

function playgroundUser(u: GraphUser): PlaygroundUser {
  const [given, ...rest] = u.displayName.split(' ');
  return {
    id: `29:${u.userPrincipalName.replace(/@.*$/, '')}`,
    name: u.displayName,
    userPrincipleName: u.userPrincipalName,
    aadObjectId: u.id,
    givenName: given ?? u.displayName,
    surname: rest.join(' ') || u.displayName,
    email: u.userPrincipalName,
  };
}

describe('Plan Switch in Microsoft 365 Agents Playground (end to end)', function () {
  this.timeout(300_000);

  let tmp: string;
  let bot: BotProcess | undefined;
  let sandbox: string;
  const playgrounds: PlaygroundProcess[] = [];
  let browser: Browser | undefined;
  let requester: PlaygroundChat;
  let approver: PlaygroundChat;
  let failed = false;

  before(async function () {
    this.timeout(180_000);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'plan-switch-e2e-'));
    const botPort = await freePort();
    let sandboxPort = await freePort();
    while (sandboxPort === botPort) sandboxPort = await freePort();

    // The bot in local mode on the demo tenant, with its own sandbox and state on free ports.
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of [
      'GRAPH_BASE_URL',
      'SANDBOX_TENANT',
      'MicrosoftAppId',
      'MicrosoftAppPassword',
      'MicrosoftAppType',
      'MicrosoftAppTenantId',
      'HOST',
      'APPROVERS',
      'REQUESTERS',
      'ALLOW_SELF_APPROVAL',
    ]) {
      delete env[k];
    }
    sandbox = `http://127.0.0.1:${sandboxPort}/v1.0`;
    // APPROVERS and REQUESTERS take UPNs: the approver is the only one who may approve, the
    // requester may ask (REQUESTERS would default to the approvers).
    bot = await startBot({
      port: botPort,
      env: { ...env, SANDBOX_PORT: String(sandboxPort), STATE_DB: path.join(tmp, 'state.db'), APPROVERS: APPROVER, REQUESTERS: REQUESTER },
      logFile: path.join(tmp, 'bot.log'),
    });

    // People of the demo tenant, as the playground will present them to the bot.
    const person = async (upn: string) => playgroundUser(await graph<GraphUser>(sandbox, `/users/${encodeURIComponent(upn)}?$select=id,displayName,userPrincipalName`));
    const req = await person(REQUESTER);
    const app = await person(APPROVER);
    const others = (await graph<{ value: GraphUser[] }>(sandbox, '/users?$top=20&$select=id,displayName,userPrincipalName')).value
      .filter((u) => u.id !== req.aadObjectId && u.id !== app.aadObjectId)
      .map(playgroundUser);
    const world = (me: PlaygroundUser, other: PlaygroundUser, tag: string): PlaygroundConfigFile => ({
      version: '0.1.1',
      tenantId: '',
      bot: { id: '28:plan-switch-e2e', name: 'Plan Switch' },
      currentUser: me,
      users: [other, ...others].slice(0, 5),
      personalChat: { id: `personal-${tag}` },
      groupChat: { id: 'group-license-admins', name: 'License admins' },
      team: { id: 'team-it', name: 'IT', aadGroupId: '00000000-0000-0000-0000-000000000000', channels: [] },
    });
    const org = (await graph<{ value: { id: string }[] }>(sandbox, '/organization')).value[0];
    assert.ok(org, 'the sandbox has an organization');
    const reqCfg = { ...world(req, app, 'requester'), tenantId: org.id };
    const appCfg = { ...world(app, req, 'approver'), tenantId: org.id };

    for (const [name, cfg] of [
      ['requester', reqCfg],
      ['approver', appCfg],
    ] as const) {
      playgrounds.push(
        await startPlayground({
          name: `playground-${name}`,
          endpoint: bot.endpoint,
          port: await freePort(),
          configPath: writePlaygroundConfig(path.join(tmp, `${name}.m365agentsplayground.yml`), cfg),
          cwd: tmp,
          logFile: path.join(tmp, `playground-${name}.out`),
          devLogFile: path.join(tmp, `playground-${name}.log`),
        }),
      );
    }

    browser = await launchBrowser();
    requester = new PlaygroundChat(await browser.newPage(), playgrounds[0]!.url, req.name);
    approver = new PlaygroundChat(await browser.newPage(), playgrounds[1]!.url, app.name);
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') failed = true;
  });

  after(async function () {
    this.timeout(60_000);
    if (failed || !bot) {
      for (const c of [bot, ...playgrounds]) if (c) console.error(`--- ${c.name} (last lines) ---\n${tail(c.output())}`);
    }
    await browser?.close().catch(() => undefined);
    for (const p of playgrounds) await p.stop();
    await bot?.stop();
    if (failed) console.error(`e2e: logs and state kept in ${tmp}`);
    else {
      rmSync(tmp, { recursive: true, force: true });
      if (browser) rmSync(browser.userDataDir, { recursive: true, force: true });
    }
  });

  it('moves group Sales to E3 after a second administrator approves, as seen in Teams', async function () {
    const shot = (name: string) => path.join(SHOTS, name);
    let t0 = Date.now();
    const step = (what: string) => {
      console.log(`      - ${what} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      t0 = Date.now();
    };

    // The approver opens their chat first: the bot learns where to reach them (installation).
    await approver.open();
    await approver.waitForCard(/Plan Switch/, 60_000);
    await requester.open();
    step('both people opened their chat with the bot');

    // 1. The request: the command, then the preflight card.
    await requester.send(COMMAND);
    let preflight = await requester.waitForCard(T.preflight, 60_000);
    let text = await requester.text(preflight);
    assert.match(text, /Sales/, `the preflight card names the group:\n${text}`);
    assert.match(text, /E3/, `the preflight card names the target plan:\n${text}`);
    assert.doesNotMatch(text, /Blocked/i, `the preflight must not block this change:\n${text}`);
    await requester.screenshot(shot('01-preflight.png'), preflight);
    step('preflight card');

    // The card offers to include members' direct copies of E1 when there are any: take it,
    // as an administrator would, so every member ends up on E3.
    if (await preflight.getByRole('button', { name: T.includeDirect, exact: true }).count()) {
      await requester.click(preflight, T.includeDirect);
      preflight = requester.cards(T.preflight).last();
      text = await requester.waitForText(preflight, T.directIncluded, 60_000);
      assert.equal(await preflight.getByRole('button', { name: T.includeDirect, exact: true }).count(), 0, 'the re-check includes direct copies');
      await requester.screenshot(shot('02-preflight-direct-copies.png'), preflight);
      step('checked again, including direct copies');
    }

    // 2. Ask for approval: the card becomes the request, waiting for a second administrator.
    await requester.click(preflight, T.requestApproval);
    const waiting = await requester.waitForCard(T.request, 60_000);
    text = await requester.waitForText(waiting, T.waiting, 60_000);
    const id = /Change request (\d+)/.exec(text)?.[1];
    assert.ok(id, `the request card shows the request number:\n${text}`);
    await requester.screenshot(shot('03-requested.png'), waiting);
    step(`change request ${id} waiting for approval`);

    // 3. The approver gets the approval card in their own chat, and approves.
    const approvalCard = approver.cardsWithButton(T.approve).last();
    await approvalCard.waitFor({ state: 'visible', timeout: 60_000 });
    text = await approver.text(approvalCard);
    assert.match(text, new RegExp(`request ${id}(?!\\d)`), `the approval card is for request ${id}:\n${text}`);
    assert.match(text, new RegExp(requester.who), `the approval card says who asked:\n${text}`);
    assert.match(text, /Sales/);
    await approver.screenshot(shot('04-approval-card.png'), approvalCard);
    step("approval card in the approver's chat");

    await approver.click(approvalCard, T.approve);
    const decided = approver.cards(new RegExp(`Change request ${id}(?!\\d)`)).last();
    text = await approver.waitForText(decided, T.afterApprove, 60_000);
    assert.equal(await decided.getByRole('button', { name: T.approve, exact: true }).count(), 0, 'no Approve button once approved');
    assert.match(text, new RegExp(approver.who), `the card says who approved:\n${text}`);
    await approver.screenshot(shot('05-approved.png'), decided);
    step('approved');

    // 4. The requester gets the completion notice once Entra (the sandbox) has processed the group.
    const notice = await requester.waitForCard(T.finished(id), 120_000);
    text = await requester.text(notice);
    assert.match(text, T.completed, `the change completed:\n${text}`);
    await requester.screenshot(shot('06-completed.png'), notice);
    step('completion notice');

    // And the tenant really changed: the group now carries E3, not E1.
    const skus = (await graph<{ value: { skuId: string; skuPartNumber: string }[] }>(sandbox, '/subscribedSkus')).value;
    const skuId = (part: string) => skus.find((s) => s.skuPartNumber === part)?.skuId;
    const groups = (await graph<{ value: { id: string }[] }>(sandbox, `/groups?$filter=${encodeURIComponent("displayName eq 'Sales'")}`)).value;
    assert.equal(groups.length, 1, 'one Sales group');
    const group = await graph<{ assignedLicenses: { skuId: string }[] }>(sandbox, `/groups/${groups[0]!.id}?$select=id,assignedLicenses`);
    const assigned = group.assignedLicenses.map((l) => l.skuId);
    assert.ok(assigned.includes(skuId('ENTERPRISEPACK')!), `Sales has E3: ${JSON.stringify(assigned)}`);
    assert.ok(!assigned.includes(skuId('STANDARDPACK')!), `Sales no longer has E1: ${JSON.stringify(assigned)}`);
  });

  it('in Dutch, a blocked group offers the change that works as one button (Marketing: its members hold E1 directly)', async function () {
    const shot = (name: string) => path.join(SHOTS, name);
    await requester.send('verplaats groep Marketing van E1 naar E3');
    const blocked = await requester.waitForCard(/Controle vooraf/, 60_000);
    const text = await requester.text(blocked);
    assert.match(text, /De groep heeft het bronlicentieplan niet/, text);
    assert.doesNotMatch(text, /nodig|Services die blijven|Betrokken gebruikers/, `no figures that do not apply:\n${text}`);
    const button = blocked.getByRole('button', { name: 'Controleer deze 8 als gebruikers', exact: true });
    assert.equal(await button.count(), 1, 'the button for the change that works');
    const box = await button.boundingBox();
    await requester.screenshot(shot('07-blocked-nl.png'), blocked);
    assert.ok(box && box.width > 0, 'the button is shown');
    await requester.click(blocked, 'Controleer deze 8 als gebruikers');
    const asUsers = requester.cards(/Controle vooraf/).last();
    const second = await requester.waitForText(asUsers, /8 gebruikers/, 60_000);
    // After Sales took E3 above, 8 more E3 seats are not free: the check says so, in Dutch.
    assert.match(second, /Wie\s*8 gebruikers|8 gebruikers/, second);
    assert.doesNotMatch(second, /Preflight check|Users affected/, `the answer to a Dutch card is Dutch:\n${second}`);
    await requester.screenshot(shot('08-as-users-nl.png'), asUsers);
  });
});
