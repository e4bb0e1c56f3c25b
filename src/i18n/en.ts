// Every English word the bot says. nl.ts has the same keys (the compiler checks it).
// Functions take plain values; the card renderer escapes whatever comes from the tenant.
import type { FindingCode, SplitNoteCode } from '../licensing/model';

type D = Record<string, unknown>;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const list = (v: unknown): string | undefined =>
  Array.isArray(v) && v.length
    ? v.map((x) => (typeof x === 'string' ? x : ((x as { displayName?: string; name?: string })?.displayName ?? (x as { name?: string })?.name ?? String(x)))).join(', ')
    : undefined;
const name = (v: unknown): string | undefined => (v && typeof v === 'object' ? str((v as { displayName?: unknown }).displayName) : str(v));
const errors = (v: unknown): string | undefined =>
  v && typeof v === 'object' && Object.keys(v).length
    ? Object.entries(v as Record<string, unknown>)
        .map(([k, n]) => `${k}: ${String(n)}`)
        .join(', ')
    : undefined;
/** The first `max` items (text before ": " only) and "and {n} more". */
const few = (v: unknown, max = 8): string | undefined => {
  if (!Array.isArray(v) || !v.length) return undefined;
  const items = v.map((x) => (typeof x === 'string' ? x.split(': ')[0]! : (name(x) ?? String(x))));
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
};
/** Plan names as typed in a command: "A" and "B" (several plans in one change). */
const plansOf = (v: unknown): string | undefined => {
  const xs = Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && !!x) : [];
  return xs.length ? (xs.length === 1 ? xs[0] : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`) : undefined;
};
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Graph's own error as it reached us (src/i18n/explain.ts graphFacts): HTTP status (0: no answer), Graph's code and words. */
export interface GraphFacts {
  status: number;
  code: string;
  message: string;
}
/** Graph's error as a clause: its own words and code (an English reader reads them as Graph wrote them). */
const graphSaid = (e: GraphFacts): string => `${e.message || (e.status ? `HTTP ${e.status}` : 'no answer')}${e.code && e.message ? ` (${e.code})` : ''}`;
/** Entra's licenseProcessingState values in plain words; anything else stays as it is. */
const PROCESSING: Record<string, string> = {
  QueuedForProcessing: 'queued',
  ProcessingInProgress: 'in progress',
  ProcessingComplete: 'finished',
  ProcessingFailed: 'failed',
};
const processing = (raw: string): string => (Object.hasOwn(PROCESSING, raw) ? PROCESSING[raw]! : raw);
/** 12 s, 3 min, 2 h 5 min. */
const duration = (ms: number): string => {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
};

/** A country's name from its ISO code ("BE" -> "Belgium"); the code when unknown. */
const region = (code: unknown): string => {
  const c = str(code);
  if (!c) return '';
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(c.toUpperCase()) ?? c;
  } catch {
    return c;
  }
};
/** "Belgium (BE)". */
const country = (code: unknown): string => (str(code) ? `${region(code)} (${str(code)!.toUpperCase()})` : '');

export const en = {
  lang: 'en' as 'en' | 'nl',
  locale: 'en-US',

  common: {
    user: 'user',
    group: 'group',
    users: (n: number) => plural(n, 'user', 'users'),
    members: (n: number) => plural(n, 'member', 'members'),
    andMore: (n: number) => `and ${n} more`,
    none: 'none',
    yes: 'yes',
    no: 'no',
    direct: 'assigned directly',
    inheritedFrom: (group: string) => `inherited from group ${group}`,
    seatsFree: (available: number, enabled: number) => `${available} of ${enabled} free`,
    nothingChanged: 'Nothing was changed.',
    /** Entra's license processing state in plain words (the raw value when unknown). */
    processingState: processing,
    duration,
  },

  help: {
    title: 'Plan Switch',
    intro: 'I move a user or a group from one Microsoft 365 license plan to another in one combined swap, so nobody loses service. A second administrator approves every change.',
    commandsTitle: 'Commands',
    commands: [
      ['move group Sales to E3', 'move a group to another plan'],
      ['move user alice@contoso.example from E1 to E3', 'move one user'],
      ['move Sales to E3', 'I look the name up (user or group)'],
      ['plans', "the tenant's plans and free seats"],
      ['status Sales', 'current licenses of a user or group, or of a request'],
      ['pending', 'requests waiting for approval'],
      ['history', 'recent changes'],
      ['undo 12', 'reverse a completed change'],
      ['reprocess Support', 'members in error (a group license that did not apply): Entra tries them again, after the cause is fixed'],
      ['split teams for group Sales', 'a suite to its "(no Teams)" version plus Teams, in one change'],
      ['pause 12', 'a change running in waves stops before its next wave (then resume 12, or cancel 12 for the rest)'],
      ['new', 'a card that guides you step by step'],
      ['doctor', 'check that this tenant gives Plan Switch what it needs (read-only)'],
      ['move the members of Marketing onto the group', 'the group takes over the plan its members hold directly, then their own copies go'],
    ] as [string, string][],
    dutchHint: 'Dutch works too: verplaats groep Verkoop naar E3.',
    startButton: 'New change',
    plansButton: 'Plans',
  },

  refuse: {
    otherTenant: 'Plan Switch only serves its own organization. Activities from another tenant are refused; nothing was changed.',
    unknownPerson:
      "Sorry, I can't find you in this organization's directory, so I can't act on your behalf. Ask your license administrator to check your account. Nothing was changed.",
    noIdentity: "I can't tell who you are (the message has no Entra object id), so I can't act on it. Nothing was changed.",
    notAllowed: 'You are not allowed to do that. Nothing was changed.',
    notRequester:
      'Sorry, only license administrators can check, request or undo license changes, or look at their status and history. Nothing was changed. If you need a change, please ask your license administrator. "help" and "plans" are open to everyone.',
  },

  refusals: {
    unknown: (id: string) => `There is no change request ${id}.`,
    not_approver: 'You are not one of the approvers for license changes. Nothing was changed.',
    not_requester:
      'Sorry, only license administrators can check, request or undo license changes, or look at their status and history. Nothing was changed. If you need a change, please ask your license administrator. "help" and "plans" are open to everyone.',
    no_approvers: 'No approvers are configured (APPROVERS is empty), so nobody can approve license changes.',
    own_request: 'You asked for this change, so someone else has to approve it. Nothing was changed.',
    own_request_reject: 'You asked for this change: cancel it instead of rejecting it.',
    already_decided: (state: string) => `This request has already been decided: it is ${state}. Nothing was changed.`,
    expired: 'This request expired without a decision; ask again if it is still needed. Nothing was changed.',
    stale: 'This card is out of date: the request has changed since. Here is its current state. Nothing was changed.',
    wrong_tenant: 'This request belongs to another organization. Nothing was changed.',
    blocked: 'The preflight found blocking problems; fix them before asking for approval. Nothing was changed.',
    not_allowed: 'Only the person who asked for this change or an approver can do that. Nothing was changed.',
    not_undoable: 'Only a completed change can be undone.',
    wrong_state: (action: 'pause' | 'resume' | 'cancel', id: string, state: string) =>
      `${
        action === 'pause'
          ? 'Only a change running in waves can be paused'
          : action === 'resume'
            ? 'Only a paused change can be resumed'
            : 'Only a request waiting for approval or a change running in waves can be cancelled'
      }: change request ${id} is ${state}. Nothing was changed.`,
  },

  errors: {
    tooLong: (n: number, max: number) => `That message is too long for a command (${n} characters; at most ${max}). Nothing was changed. Try for example: move group Sales to E3.`,
    generic: 'Something went wrong on my side. Nothing was changed; please try again in a moment.',
    graph: (e: GraphFacts) => `Microsoft Graph could not answer: ${graphSaid(e)}. Nothing was changed.`,
    /** Graph's error inside another sentence ("The check could not run (…)"). */
    graphCause: (e: GraphFacts) => `Microsoft Graph: ${graphSaid(e)}`,
    /** Something not ours went wrong (a bug, a dropped database connection): its own words; the log has the rest. */
    unexpected: (message: string) => message || 'an unexpected error',
    choiceExpired: 'This card has expired (its list of people is kept for a day). Type the command again. Nothing was changed.',
    badCard: 'This card is damaged or out of date (its data is missing or invalid). Start again with "new". Nothing was changed.',
    unknownVerb: (verb: string) => `I don't know the card action "${verb}". Nothing was changed.`,
    malformedInvoke: 'The card action could not be read. Nothing was changed.',
    staleCard: 'This card is out of date: the request has changed since. Here is its current state. Nothing was changed.',
    unknownRequest: (id: string) => `There is no change request ${id}.`,
    notUnderstood: (text: string) => `I didn't understand "${text}". Type "help" to see what I can do.`,
    missingPrincipal: 'Who should move? For example: move group Sales to E3.',
    missingTarget: 'To which plan? For example: move group Sales to E3.',
    missingWaveId: (action: 'pause' | 'resume' | 'cancel') => `Which change request? For example: ${action} 12. Type "history" to see them.`,
    missingUndo: 'Which change should I undo? For example: undo 12. Type "history" to see the changes.',
    workflowUnavailable: 'Change requests are not available right now. Nothing was changed.',
  },

  lookup: {
    planUnknown: (name: string) => `The tenant has no plan called "${name}". These are its plans:`,
    planAmbiguous: (name: string) => `"${name}" matches more than one plan. Which one do you mean?`,
    principalUnknown: (name: string) => `I can't find a user or group called "${name}".`,
    suggestions: 'Did you mean one of these?',
    noSuggestions: 'Check the spelling, or type part of the name in "new".',
    principalAmbiguous: (name: string) => `More than one user or group matches "${name}". Which one do you mean?`,
    sourceNone: (name: string) =>
      `I can't tell which plan ${name} should leave: none of them holds one I can move from, or they are not in the directory. Pick the plan to replace; the check then says who was not found.`,
    sourceAmbiguous: (name: string) => `${name} has more than one plan. Which plan should be replaced?`,
    invalidInput: (msg: string) => `That doesn't work: ${msg}`,
    // What cannot be done with what was typed or clicked (INVALID_INPUT's data.reason; src/i18n/explain.ts), after "That doesn't work:".
    invalid: {
      unsafeName: (name: string, what: 'user' | 'group', why: 'empty' | 'dot' | 'slash') =>
        `'${name}' cannot name a ${what}: ${
          why === 'empty'
            ? 'it is empty'
            : why === 'dot'
              ? `"${name}" would be read as part of the URL path`
              : 'it contains "/" or "\\", which would be read as part of the URL path'
        }.`,
      usageLocationIds: 'The people whose usage location is to be set must be a list of user ids.',
      statusOne: 'Status shows one user or one group.',
      splitDirection: (direction: string) => `Unknown direction '${direction}': split or join.`,
      splitOne: 'Split Teams works on one user or one group.',
      reprocessOne: 'Reprocess names one group or one user.',
      reprocessIds: 'A reprocess names the users by id.',
      reprocessNoUsers: "This reprocess can't run: it names no users.",
      adoptNoUndo:
        'An adopt has no undo: the members keep the plan from the group. To give someone a direct copy again, assign it to them; to end the group copy, change the group.',
      adoptCheckOnly: 'Only an adopt checks members before removing their direct copies.',
      changeMalformed: "This change can't run: its data is incomplete or damaged. Start again with the command.",
      noUser: 'No user given: name a user by UPN (alice@contoso.com) or object id.',
      noGroup: 'No group given: name a group by display name or object id.',
      noUsers: 'The list of users is empty.',
      noPrincipal: 'The change must name a user, a group, or a list of users.',
      adoptGroupOnly: 'Adopt works on a group: name the group whose members hold the plan directly.',
      noChange: 'No change given.',
      noTarget: "No target plan given: say which plan to move to ('to E3').",
      plansNotAList: (list: 'to' | 'from') => `The further ${list === 'to' ? 'target' : 'source'} plans must be a list.`,
      serviceUnknown: (service: string, plan: string, services: string) => `'${service}' is not a service of ${plan}. Its services: ${services}.`,
    },
    choose: 'Choose',
    // Several plans in one change (multiplan)
    planRepeated: (plan: string, list: 'to' | 'from') => `${plan} is named twice among the plans to ${list === 'to' ? 'add' : 'remove'}. Name each plan once. Nothing was changed.`,
    planInBoth: (plan: string) => `${plan} is both a plan to remove and a plan to add. Name it on one side only. Nothing was changed.`,
    tooManyPlans: (max: number) => `At most ${max} plans to add and ${max} to remove in one change. Nothing was changed.`,
    alsoFromWithoutFrom: 'Several plans to remove need the first one named too ("from E1 and Teams Essentials"). Nothing was changed.',
    from: 'From',
    to: 'To',
  },

  plans: {
    title: 'Plans in this tenant',
    column: { plan: 'Plan', free: 'Free', total: 'Total', used: 'Used' },
    empty: 'The tenant has no license plans.',
    notAssignable: 'not assignable to users',
    status: (s: string) => `status ${s}`,
  },

  status: {
    title: (name: string) => `Licenses of ${name}`,
    none: 'No license plans.',
    processing: (state: string) => `License processing: ${state}`,
    memberCount: (n: number) => plural(n, 'direct member', 'direct members'),
    membersInError: (n: number) => `${plural(n, 'member', 'members')} in error`,
    errorOn: (err: string) => `error: ${err}`,
    askWhich: 'Status of which user, group or change? For example: status Sales, or status 12.',
  },

  preflight: {
    title: 'Preflight check',
    who: 'Who',
    from: 'From',
    to: 'To',
    affected: 'Users affected',
    seats: 'Seats',
    seatsAtCheck: 'Seats at the check',
    seatsNow: 'Seats after the change',
    seatsValue: (needed: number, available: number) => `${needed} needed, ${available} available`,
    kept: 'Services kept',
    lost: 'Services lost',
    gained: 'Services gained',
    upgraded: 'Services upgraded',
    downgraded: 'Services downgraded',
    /** One service whose edition changes, as in the upgraded / downgraded lists. */
    editionChange: (service: string, from: string, to: string) => `${service}: ${from} → ${to}`,
    findingsTitle: 'Findings',
    severity: { block: 'Blocking', warn: 'Warnings', info: 'Good to know' },
    noFindings: 'No problems found.',
    blocked: 'This change cannot run until the blocking findings are fixed.',
    ready: 'Ready: ask a second administrator to approve.',
    readyWithWarnings: (n: number) => `Ready, with ${plural(n, 'warning', 'warnings')} below: read ${n === 1 ? 'it' : 'them'}, then ask a second administrator to approve.`,
    requestApproval: 'Request approval',
    cancel: 'Cancel',
    includeDirect: 'Check again, including direct copies',
    directIncluded: 'Direct copies of the source held by members are included in this change.',
    cancelled: 'Cancelled. Nothing was changed.',
    recheck: 'Check again',
    checkAsUsers: (n: number) => (n === 1 ? 'Check this person as a user' : `Check these ${n} people as users`),
    // Adopt (direct copies to the group)
    adoptTitle: 'Preflight check: members onto the group',
    plan: 'Plan',
    ownCopies: 'Own copies to remove',
    seatsUsed: 'Seats used',
    seatsUnchanged: 'unchanged: a plan counts once per person',
    seatsMore: (n: number, available: number) => `${n} more (${available} available)`,
    adoptInstead: 'Move the members onto the group',
    acceptLoss: (n: number) => (n === 1 ? 'Remove their own copy anyway' : `Remove these ${n} own copies anyway`),
    keepOwnCopies: 'Keep their own copies',
    adoptHow: 'The group gets the plan first; once Entra has processed it, the own copies go in waves (5 people first, then 100 at a time), each person checked just before.',
  },

  guide: {
    title: 'New change',
    step1: '1. Who should move?',
    pickPlaceholder: 'Search a user or group',
    typedLabel: 'Or type a name, UPN or group name',
    typedPlaceholder: 'alice@contoso.example or Sales',
    next: 'Next',
    step2: (name: string) => `2. Which plan of ${name} should be replaced?`,
    noCurrentPlans: (name: string) => `${name} has no license plans to move from.`,
    step3: (name: string, from: string) => `3. Move ${name} from ${from} to:`,
    check: 'Check',
    back: 'Start again',
    needPrincipal: 'Pick or type a user or group first.',
    needSource: 'Pick the plan to replace.',
    needTarget: 'Pick the plan to move to.',
    planChoice: (name: string, available: number) => `${name} (${available} free)`,
    // Several plans in one change (multiplan)
    addAnother: 'Add another plan',
    anotherPlan: (n: number) => `Plan ${n}, added in the same change:`,
    anotherPlaceholder: 'Choose a plan (or leave empty)',
  },

  request: {
    statusTitle: (id: string) => `Change request ${id}`,
    approvalTitle: (id: string) => `Approval needed: change request ${id}`,
    requestedBy: 'Requested by',
    approvedBy: 'Approved by',
    rejectedByLabel: 'Rejected by',
    cancelledByLabel: 'Cancelled by',
    decision: 'Decision',
    noDecision: (when: string) => `nobody decided before ${when}`,
    reasonFrom: (who: string, reason: string) => `Reason given by ${who}: ${reason}`,
    state: 'State',
    expires: 'Expires',
    states: {
      pending: 'waiting for approval',
      approved: 'approved',
      running: 'running',
      completed: 'completed',
      failed: 'failed',
      partial: 'partly done',
      rejected: 'rejected',
      cancelled: 'cancelled',
      expired: 'expired',
      paused: 'paused',
    } as Record<string, string>,
    approve: 'Approve',
    reject: 'Reject',
    cancelRequest: 'Cancel request',
    undo: 'Undo',
    refresh: 'Refresh',
    open: 'Open',
    reasonLabel: 'Reason (optional)',
    requested: (id: string) => `Change request ${id} is waiting for approval.`,
    approvedRunning: 'Approved — running…',
    rejectedBy: (who: string) => `Rejected by ${who}.`,
    reason: (r: string) => `Reason: ${r}`,
    cancelledBy: (who: string) => `Cancelled by ${who}. Nothing was changed.`,
    expiredNote: 'Nobody approved this request in time. Nothing was changed.',
    youMayDecide: 'You can approve or reject this change.',
    youCannotApproveOwn: 'You asked for this change, so someone else must approve it.',
    undoOf: (id: string) => `Undoes change ${id}`,
    progress: (state: string, elapsed: string) => `Entra is processing the group: ${state} (${elapsed}).`,
    adoptProgress: (wave: number, waves: number, removed: number, total: number) => `Removing own copies: wave ${wave} of ${waves}, ${removed} of ${total} done.`,
    started: 'Running the swap…',
    worsened: 'The situation changed since the request: the new check found more problems, so nothing ran.',
    /** One thing the re-check before the run found worse (src/requests/compare.ts). */
    worsenedWhy: {
      change: (who: string, from: string, to: string) => `${who} from ${from} to ${to}`,
      differentChange: (now: string, approved: string) => `The request now means a different change: ${now} (approved: ${approved}).`,
      seatsShort: (plan: string, available: number, needed: number) => `Not enough ${plan} seats any more: ${available} available, ${needed} needed.`,
      seatsShortThen: (plan: string, available: number, needed: number, thenAvailable: number, thenNeeded: number) =>
        `Not enough ${plan} seats any more: ${available} available, ${needed} needed (there were ${thenAvailable} available for ${thenNeeded} when it was requested).`,
      newBlock: (finding: string) => `New blocking problem: ${finding}`,
      newWarning: (finding: string) => `New warning: ${finding}`,
      nowBlocking: (finding: string) => `Now blocking (was a warning): ${finding}`,
      morePeople: (finding: string, added: number, now: number, was: number) =>
        `${finding} (${plural(added, 'more person', 'more people')} affected than when it was requested: ${now}, was ${was})`,
      nowBlocked: (findings: string) => (findings ? `The change is now blocked: ${findings}` : 'The change is now blocked.'),
    },
    noApprovers: 'No approvers are configured (APPROVERS): nobody can approve this request.',
    undoRequested: (id: string, of: string) => `Undo of change ${of} requested as change request ${id}; it needs approval like any change.`,
    notUndoable: (id: string) => `Change ${id} cannot be undone.`,
  },

  reach: {
    /** "A", "A and B", "A, B and C". */
    list: (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`),
    orList: (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`),
    channel: (name: string) => `the channel ${name}`,
    groupChat: (name: string) => `the group chat ${name}`,
    unnamedGroupChat: 'a group chat',
    asking: 'Asking the approvers…',
    sentTo: (people: string[], places: string[]) => {
      const items = [...people, ...places.map((p, i) => (i === 0 && people.length ? `to ${p}` : p))];
      return `Sent to ${items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`}.`;
    },
    installing: (names: string) => `Installing Plan Switch for ${names}: the approval card follows as soon as Teams confirms.`,
    notReached: (names: string) => `Not reached: ${names} (Plan Switch is not open in their Teams yet).`,
    nobody: (names: string) =>
      names
        ? `No approver has Plan Switch open yet: ask ${names} to open it in Teams, or add it to your approvers' channel.`
        : "No approver has Plan Switch open yet: ask an approver to open it in Teams, or add it to your approvers' channel.",
    noneConfigured: 'Nobody may approve this request (APPROVERS is empty or lists only you): ask your Teams administrator to set approvers.',
    showMyOptions: 'Show my options',
    reminder: (expires: string) => `Reminder: this request is still waiting for a decision. It expires ${expires}.`,
    reminderTitle: (id: string) => `Reminder: change request ${id} is waiting for approval`,
    askAgain: 'Ask again',
    channelAdded: (where: string) =>
      `From now on ${where} gets every Plan Switch approval request. Approvers see Approve and Reject on each card (or "Show my options"); everyone else sees its status.`,
    channelHello: 'Plan Switch is here. An approver who adds it to a channel makes that channel the place where approval requests are posted.',
    channelDropped: (where: string) =>
      `Plan Switch can no longer post in ${where} (it was removed there, or Teams refused the post), so approval requests no longer go there. They still reach you here.`,
    waitingForYou: (n: number) => `${n === 1 ? '1 change request is' : `${n} change requests are`} waiting for your approval:`,
  },

  result: {
    membersJoined: (n: number) => `${n === 1 ? '1 member' : `${n} members`} joined the group after the check and got the new plan from the group as well.`,
    resumed: 'The bot restarted while this change was running. It picked the change up again and read what had happened back from Microsoft Graph; nothing was sent twice.',
    title: (id: string) => `Change request ${id} finished`,
    completed: 'Done: every member has the new plan.',
    failed: 'The change failed.',
    partial: 'Partly done: some members are in error.',
    done: (n: number) => `${plural(n, 'member', 'members')} done`,
    inError: (n: number) => `${plural(n, 'member', 'members')} in error`,
    stillHoldingSource: (n: number) => `${n === 1 ? '1 member still holds' : `${n} members still hold`} the old plan from another source`,
    timeout: 'Entra has not finished processing yet; check again later with "status".',
    next: 'What to do next',
    nextCompleted: 'Nothing: the old plan\'s seats are free again. Type "undo" with the change number to reverse it.',
    nextPartial: 'Fix the causes listed, then click "Reprocess after fixing" (or move them again).',
    nextFailed: 'Fix the cause above and request the change again.',
    error: (e: string) => `Why: ${e}`,
    /** Why a run stopped (src/i18n/run-error.ts). */
    runError: {
      recheckFailed: (detail: string) => `The change could not be checked again before running: ${detail}`,
      refusedBeforeWriting: (detail: string) => `Nothing was changed: ${detail}`,
      swapCallFailed: (detail: string) => `The swap call failed (${detail}); what changed was read back from Graph.`,
      trackingFailed: (detail: string) => `The swap was accepted but following Entra's processing failed (${detail}); check with status.`,
      stillProcessing: (state: string) => `Entra was still processing the group (${state}) when the bot stopped watching; check with status.`,
      tooLate: 'The bot stopped before this approved change ran, too long ago to run it now. Nothing was changed; ask again.',
      adoptGroupRefused: (detail: string) => `The group could not get the plan (${detail}); nothing else was changed.`,
      adoptTrackingFailed: (detail: string) =>
        `Following Entra's processing of the group failed (${detail}); no direct copy was removed. Check with status, then run the adopt again.`,
      adoptStillProcessing: (state: string) =>
        `Entra was still processing the group (${state}) when the bot stopped watching: no direct copy was removed. Run the adopt again once it has finished.`,
      adoptWaveFailures: (wave: number, failed: number, sent: number, left: number) =>
        `Wave ${wave} had too many failures (${failed} of ${sent}): the ${left} members of the later waves keep their direct copy. Fix the cause and run the adopt again.`,
    },
    // Adopt (direct copies to the group)
    adoptCompleted: 'Done: everyone who held the plan directly now gets it from the group.',
    adoptPartial: 'Partly done: some members keep their own copy (below, with why).',
    adoptFailed: 'Nothing was moved onto the group.',
    adoptRemoved: (n: number) => `${n === 1 ? '1 own copy' : `${n} own copies`} removed: they get the plan from the group`,
    adoptKept: (n: number) => `${n === 1 ? '1 member keeps' : `${n} members keep`} their own copy`,
    adoptWhy: {
      servicesNotCovered: (services: string) => `the group's copy turns off ${services}`,
      error: (message: string) => `their copy from the group is in error: ${message}`,
      notInherited: 'no copy from the group reached them (not processed yet, or no longer a member)',
      removeFailed: (message: string) => `removing it failed: ${message}`,
      gone: 'no own copy any more: nothing to remove',
    },
    adoptNextCompleted: 'Nothing: seats used are as before. From now on, who is in the group holds the plan; someone who leaves the group loses it.',
    adoptNextPartial: 'Fix the causes listed, then move the members onto the group again: only those still holding their own copy are touched.',
  },

  pending: {
    title: 'Waiting for approval',
    empty: 'No requests are waiting for approval.',
  },

  history: {
    title: 'Recent changes',
    empty: 'No changes yet.',
    line: (id: string, who: string, from: string, to: string, state: string) => `#${id} ${who}: ${from} → ${to} — ${state}`,
    adoptLine: (id: string, who: string, plan: string, state: string) => `#${id} ${who}: ${plan}, own copies → the group's — ${state}`,
  },

  doctor: {
    title: 'Plan Switch doctor: is this tenant ready?',
    graph: (url: string) => `Graph: ${url}`,
    signedIn: (appId: string, tenantId: string) => `Signed in as app ${appId} in tenant ${tenantId}.`,
    signInFailed: (error: string) => `Sign-in failed: ${error}. Check AZURE_TENANT_ID, AZURE_CLIENT_ID and the client secret or certificate (docs/deploy.md, section 1).`,
    tenant: (name: string, id: string) => `Tenant: ${name} (${id})`,
    permissionsHeading: "Application permissions (the access token's roles claim)",
    granted: 'granted',
    coveredBy: (via: string) => `covered by ${via}`,
    grantedVia: (via: string) => `granted through ${via} (works, but more than needed)`,
    missing: 'MISSING',
    missingOptional: 'not granted (optional)',
    required: 'required',
    optional: 'optional',
    feature: {
      assign: 'swap licenses (assignLicense for users and groups)',
      readUsers: "read users' licenses and usage locations, find users",
      readGroups: 'read groups, their members and license processing',
      readOrganization: "read the tenant's name and country",
      readPlans: 'read plans and seats (also allowed by Organization.Read.All)',
      setUsageLocation: 'allows: setting a missing usage location in a change (offered on the preflight, set before the license writes); reprocess members in error',
      installForApprovers: 'install the bot for approvers who never opened it, so they can be messaged',
      progressTotal: 'show "n of about N members" while a big group is read',
    },
    extraRoles: (roles: string) => `Also granted, not needed by Plan Switch: ${roles}.`,
    group: (name: string, named: boolean) => (named ? `Group: ${name}` : `Group: ${name} (the first group holding a license; name another with --group)`),
    user: (name: string, named: boolean) => (named ? `User: ${name}` : `User: ${name} (the first licensed user; name another with --user)`),
    readsHeading: 'Graph reads the product makes (each once, nothing written)',
    call: {
      organization: 'tenant name and country',
      subscribedSkus: 'plans and seats',
      findGroup: 'find a group by name',
      group: "a group's licenses and processing state",
      groupUsers: "a group's user members with their license states",
      nestedGroups: "a group's nested groups",
      memberCount: "a group's member count",
      membersWithLicenseErrors: "a group's members with license errors",
      user: "a user's licenses and usage location",
      findUsers: 'find users by name',
      batch: 'users read in a $batch',
      teamsApps: "the bot's installation for a user (Teams)",
    },
    ok: 'ok',
    skipped: 'not tried (no group or user to try it on)',
    missingPermission: (permission: string) => `refused (403): the app lacks ${permission}`,
    missingField: (fields: string) => `Graph did not return ${fields}`,
    headerWanted: (header: string) => `Graph wants the header ${header}`,
    notFound: 'not found',
    failed: (status: number, code: string, message: string) => `failed: ${status || 'no answer'} ${code}${message ? `: ${message}` : ''}`,
    fix: {
      permission: (permission: string) =>
        `Fix: grant the application permission ${permission} (Entra admin center > App registrations > API permissions > Add a permission > Microsoft Graph > Application permissions), then Grant admin consent, and run doctor again.`,
      field: (fields: string) =>
        `Fix: Graph leaves out fields the app may not read. Check that User.Read.All and GroupMember.Read.All are granted (without User.Read.All, Graph lists members with little more than their id). Plan Switch never reads a missing ${fields} as "none": group checks fail until Graph returns it.`,
      header: (header: string) => `Fix: this read needs the request header ${header} (an advanced query). Plan Switch sends it; if a proxy strips headers, let this one through.`,
      notFound: 'Fix: name an existing group with --group (display name or object id) and user with --user (UPN or object id).',
      failed: "Fix: see Graph's message. After 429 (throttled) or 5xx (unavailable), run doctor again in a minute.",
    },
    verdictOk: 'Everything Plan Switch needs works.',
    verdictBad: (n: number) => `${n === 1 ? '1 thing' : `${n} things`} Plan Switch needs ${n === 1 ? 'does' : 'do'} not work: see the fixes above.`,
    elapsed: (ms: number) => `Checked in ${(ms / 1000).toFixed(1)} s.`,
    running: 'Checking the tenant (read-only; under a minute)...',
    unavailable: 'doctor is not available in this bot: run plan-switch doctor on the command line.',
    onlyApprovers: 'Only approvers and license administrators can run doctor.',
  },

  // Teams unbundling (splitteams): "split teams for group Sales", its reverse "join teams for …".
  teams: {
    working: (name: string) => `Working out the Teams split for ${name}…`,
    workingJoin: (name: string) => `Working out how to put Teams back for ${name}…`,
    /** Shown above the preflight of the proposed change. */
    proposal: (who: string, remove: string, add: string) => `Split Teams for ${who}: ${remove} → ${add}, in one change. Nothing changes until a second administrator approves.`,
    proposalJoin: (who: string, remove: string, add: string) =>
      `Put Teams back for ${who}: ${remove} → ${add}, in one change. Nothing changes until a second administrator approves.`,
    nothingTitle: (who: string) => `Nothing to propose for ${who}`,
    nothingChanged: 'Nothing was changed.',
    missingPrincipal: 'Split Teams for whom? For example: split teams for group Sales, or split teams for alice@contoso.example.',
    missingPrincipalJoin: 'Put Teams back for whom? For example: join teams for group Sales.',
    oneAtATime: 'Split Teams works on one user or one group at a time. For example: split teams for group Sales. Nothing was changed.',
    notes: {
      NOTHING_TO_SPLIT: (d: D) => `It holds no suite that has a "(no Teams)" version${list(d.held) ? ` (it holds ${list(d.held)})` : ''}, so there is no Teams to split off.`,
      ALREADY_SPLIT: (d: D) =>
        `Teams is split off already: it holds ${list(d.plans) ?? 'the "(no Teams)" plan'}. To put Teams back into the suite: join teams for … (the same user or group).`,
      NOTHING_TO_JOIN: (d: D) => `It holds no "(no Teams)" plan${list(d.held) ? ` (it holds ${list(d.held)})` : ''}, so there is nothing to put back together.`,
      FROM_GROUP: (d: D) =>
        `${list(d.plans) ?? 'This plan'} comes from the group ${list(d.groups) ?? '?'}: a license from a group is changed on the group. Try: ${d.direction === 'join' ? 'join' : 'split'} teams for group ${str((d.groups as unknown[] | undefined)?.[0]) ?? '…'}.`,
      BUY_TWIN: (d: D) =>
        `The tenant has no subscription for a "(no Teams)" version of ${str(d.suite) ?? 'this suite'}. Buy ${Array.isArray(d.buy) && d.buy.length ? (d.buy as string[]).join(' or ') : 'it'} first (the EEA one in the European Economic Area); I only propose plans the tenant has.`,
      BUY_TEAMS: (d: D) =>
        `The tenant has no subscription for ${str(d.buy) ?? 'a Teams licence'}, which goes beside ${str(d.twin) ?? 'the "(no Teams)" plan'}. Buy it first; I only propose plans the tenant has.`,
      BUY_SUITE: (d: D) =>
        `The tenant has no subscription for ${Array.isArray(d.buy) && d.buy.length ? (d.buy as string[]).join(' or ') : 'the suite'} to put ${str(d.twin) ?? 'this plan'} back into. Buy it first; I only propose plans the tenant has.`,
      CHOOSE: (d: D) =>
        `More than one plan the tenant has would do for ${str(d.plan) ?? 'this plan'}: ${list(d.candidates) ?? '?'}. Say which with a move, naming the part number (for example: move group Sales from E1 to "Office_365_E1_(no_Teams)" and "Teams Enterprise").`,
    } satisfies Record<SplitNoteCode, (d: D) => string>,
  },

  /** Work that takes longer than a moment: the card shown meanwhile, updated in place. */
  working: {
    checking: (name: string) => `Checking ${name}…`,
    checkingChange: 'Checking the change…',
    lookingUp: (name: string) => `Looking up ${name}…`,
    busy: 'Working on it…',
    membersRead: (read: number, total?: number) =>
      total !== undefined && total >= read
        ? `${read.toLocaleString('en-US')} of about ${total.toLocaleString('en-US')} members read`
        : `${read.toLocaleString('en-US')} members read`,
    elapsed: (ms: number) => `Still working: ${duration(ms)} so far. This card changes into the answer.`,
    superseded: 'Stopped: a newer command in this chat took over. Nothing was changed.',
  },

  // Usage location fixed in the change (issue 13 part 6): the offer on the preflight card, the CLI
  // hint, a bad country code, and what the completion notice says.
  // Waves (issue 13 part 4): large changes run as a pilot wave, then waves, each checked before the next.
  waves: {
    title: 'Waves',
    plan: (pilot: number, size: number, count: number, people: number) =>
      `In ${count} waves: a pilot of ${plural(pilot, 'person', 'people')}, then waves of ${size} (${people} people in all); each wave is checked before the next.`,
    pauseAt: (share: string) => `It pauses by itself when more than ${share} of a wave fails.`,
    never: 'It never pauses by itself.',
    progress: (wave: number, count: number, done: number, total: number, failed: number) => `Wave ${wave} of ${count}: ${done} of ${total} people done, ${failed} failed.`,
    sending: (wave: number, count: number, n: number) => `Sending wave ${wave} of ${count} (${plural(n, 'person', 'people')})…`,
    skipped: (n: number) => `${plural(n, 'person', 'people')} left out because they were not ready.`,
    pausedAuto: (wave: number, share: string, limit: string) => `Paused after wave ${wave}: ${share} of its people failed, more than ${limit}.`,
    pausedBy: (who: string, wave: number) => `Paused by ${who} after wave ${wave}.`,
    pausedCheck: (why: string) => `Paused: ${why}`,
    pausedCheckFailed: (wave: number, why: string) => `Paused: the check before wave ${wave} failed: ${why}. Nothing of this wave was sent.`,
    pausedNext: (id: string) => `Fix what is listed, then type "resume ${id}" to carry on with the next wave, or "cancel ${id}" to stop here.`,
    pauseAsked: (who: string) => `${who} asked to pause: the wave being sent is finished first.`,
    cancelAsked: (who: string) => `${who} asked to cancel: the wave being sent is finished first; no further wave is sent.`,
    resumedBy: (who: string) => `Resumed by ${who}.`,
    cancelled: (ran: number, count: number, done: number) =>
      `Cancelled after wave ${ran} of ${count}: ${plural(done, 'person was', 'people were')} changed; the waves not yet run were not sent. Undo reverses what was changed.`,
    whyTitle: (n: number) => `Why ${plural(n, 'person', 'people')} failed`,
    skippedTitle: (n: number) => `${plural(n, 'person', 'people')} left out`,
    why: {
      'usage-location': 'no usage location, so a license cannot be assigned directly; set their country, then run the change for them again',
      'no-seats': 'no free licenses of the new plan left; buy or free some',
      clash: 'the new plan clashes with another license they keep',
      dependency: 'another license of theirs needs a service this change takes away',
      'location-not-allowed': "the plan can't be used in their usage location (country)",
      throttled: 'Microsoft Graph was throttling; nothing was changed for them',
      'not-found': 'the user no longer exists',
      forbidden: 'the app may not change licenses (LicenseAssignment.ReadWrite.All)',
      'not-shown': 'Graph accepted the change but does not show it on them yet; check them with "status"',
      'not-made': 'the bot restarted while their wave ran and Graph shows their change was not made',
      other: 'Microsoft Graph refused the change',
    } as Record<string, string>,
    pause: 'Pause',
    resume: 'Resume',
    cancelRest: 'Cancel the rest',
    paused: (id: string) => `Change request ${id} is paused`,
    resumed: (id: string) => `Change request ${id} carries on with its next wave.`,
    pauseDone: (id: string) => `Change request ${id} is paused.`,
    // The check of the remaining people before a resume (src/requests/resume-check.ts).
    recheckBlocked: (id: string) => `Change request ${id} stays paused: its remaining people were checked again and something blocks the next wave. Nothing was sent.`,
    recheckTitle: (n: number, at: string) => `Checked again before resuming (${plural(n, 'remaining person', 'remaining people')}, ${at}):`,
    recheckFailed: (why: string) => `The check could not run (${why}). Nothing was sent; try again in a moment.`,
    recheckPassed: 'Nothing blocks the next wave.',
    recheckWarning: (text: string) => `Warning (does not stop the run): ${text}`,
    recheckSkipped: (n: number) => `${plural(n, 'person is', 'people are')} left out of the waves:`,
    /** What to do about a finding (or CHECK_FAILED), then `again`: how to resume or cancel where the reader is (recheckAgain in chat, cli.recheckAgain). */
    recheckDo: (code: string, again: string) => {
      if (code === 'SEATS_SHORT') return `What to do: buy or free licenses of the new plan, ${again}`;
      if (code === 'USAGE_LOCATION_MISSING') return `What to do: set their usage location (country) in the Microsoft 365 admin center, ${again}`;
      if (code === 'TARGET_NOT_ACTIVE') return `What to do: renew or reactivate the subscription, ${again}`;
      if (code === 'CHECK_FAILED') return `What to do: wait a moment, ${again}`;
      return `What to do: fix this, ${again}`;
    },
    recheckAgain: (id: string) => `then type "resume ${id}" again; or "cancel ${id}" to stop here (what ran stays changed; undo reverses it).`,
    notNeeded: (n: number) => `${plural(n, 'person', 'people')} no longer needed the change (they count as done).`,
    skipWhy: {
      'target-held': 'already holds the new plan: nothing to change',
      'not-in-tenant': 'no longer in this organization: nothing to change',
      'source-gone': 'no longer holds the plan to remove, so there is nothing to replace; left as they are',
    } as Record<string, string>,
  },

  usageLocation: {
    // Button titles stay short (Teams cuts them at about 40 characters): whose it is, in the input's label.
    setButton: (code: string) => `Set usage location to ${code} first`,
    setButtonNoCountry: 'Set the usage location first',
    countryLabel: 'Usage location to set (ISO country code, two letters)',
    countryLabelFor: (n: number) =>
      n === 1 ? 'Usage location to set for this person (ISO country code, two letters)' : `Usage location to set for these ${n} people (ISO country code, two letters)`,
    countryPlaceholder: 'BE',
    badCountry: (input: string) =>
      `'${input}' is not a country code: a usage location is a two-letter ISO 3166 code such as BE, NL or DE (GB for the United Kingdom). Nothing was changed.`,
    needCountry: 'Type the country to set: a two-letter ISO 3166 code such as BE. Nothing was changed.',
    cliHint: (code: string | null) =>
      code
        ? `Add --set-usage-location ${code} (or another country code) to set it as part of this change.`
        : 'Add --set-usage-location <country code> (e.g. BE) to set it as part of this change.',
    resultSet: (n: number, code: string) => `Usage location set to ${country(code)} for ${plural(n, 'person', 'people')}`,
    resultFailed: (n: number) => `Usage location could not be set for ${plural(n, 'person', 'people')}`,
    /** Why it could not be set (src/licensing/explain.ts usageLocationWhy); `code`, `message`: Graph's. */
    notSetWhy: (why: 'forbidden' | 'rejected' | 'notFound' | 'other', code: string, message: string) =>
      why === 'forbidden'
        ? 'The usage location could not be set: the app needs the User.ReadWrite.All permission with admin consent (see doctor). The license was not changed; set the usage location in Entra ID, or grant the permission, and run the change again.'
        : why === 'rejected'
          ? 'Microsoft Graph did not accept the usage location (not a country it knows). The license was not changed; choose another country and run the change again.'
          : why === 'notFound'
            ? 'The user no longer exists (or is not visible yet), so the usage location could not be set. The license was not changed.'
            : `The usage location could not be set (${message || code || 'no details'}). The license was not changed; set it in Entra ID and run the change again.`,
    undoKeeps: 'An undo leaves the usage locations set.',
  },

  // reprocess and watch (issue 13 part 5)
  reprocess: {
    button: 'Reprocess after fixing',
    nothingToUndo: 'A reprocess assigns nothing, so there is nothing to undo.',
    historyLine: (id: string, who: string, n: number, plan: string, state: string) => `#${id} ${who}: reprocess ${plural(n, 'member', 'members')} in error (${plan}) — ${state}`,
    askWhich: 'Reprocess whom? Name a group (reprocess Sales) or a user (reprocess alice@contoso.example).',
    nothing: (name: string, isGroup: boolean) =>
      isGroup
        ? `No member of ${name} has a license error from the group now: there is nothing to reprocess.`
        : `${name} has no license error from a group now: there is nothing to reprocess.`,
    started: (id: string, n: number, name: string) =>
      `Reprocess ${id}: Entra evaluates the group licenses of ${plural(n, 'member', 'members')} of ${name} again. The answer follows here.`,
    requested: (id: string) => `Reprocess ${id} asked for: a second administrator approves it (REPROCESS_APPROVAL=required).`,
    notAllowed: 'Reprocessing is for approvers and license administrators (APPROVERS / REQUESTERS). Nothing was reprocessed.',
    fact: 'Reprocess',
    factValue: (n: number) => `${plural(n, 'member', 'members')} in error`,
    plan: 'License in error',
    resultTitle: (id: string) => `Reprocess ${id} finished`,
    allFine: 'Done: every member reprocessed now has the license.',
    someInError: 'Reprocessed: some members are still in error.',
    failed: 'The reprocess did not go through.',
    nowFine: (n: number) => `${plural(n, 'member', 'members')} now licensed`,
    stillInError: (n: number) => `${plural(n, 'member', 'members')} still in error`,
    refused: (n: number) => `${plural(n, 'member', 'members')} not reprocessed`,
    nextAllFine: 'Nothing: their licenses are active.',
    nextSome: 'Fix the cause named for each member, then click "Reprocess after fixing" (or type: reprocess and the group).',
    /** A member's group license error: what it means and how to fix it, in one line. */
    why: (error: string): string => {
      switch ((error ?? '').trim().toLowerCase()) {
        case 'countviolation':
          return 'not enough licenses: none were left when the group gave this member the plan. Fix: buy more licenses or free some (take the plan from people who no longer need it), then reprocess.';
        case 'mutuallyexclusiveviolation':
          return 'the plan clashes with another license the member holds (directly or from another group). Fix: remove the clashing license, or turn off the clashing service in one of them, then reprocess.';
        case 'dependencyviolation':
          return "a service one of the member's licenses needs is missing. Fix: turn that service on (in the group's license or another), or change the license that needs it, then reprocess.";
        case 'prohibitedinusagelocationviolation':
          return "the plan can't be used in the member's usage location (country), or the member has none. Fix: set the member's usage location in Entra ID, then reprocess.";
        case 'uniquenessviolation':
          return 'an attribute that must be unique in the tenant (usually a proxy address) clashes with another object. Fix: remove the duplicate, then reprocess.';
        default:
          return 'Entra could not apply the license and names no reason. Fix: check the user in the Entra admin center (Licenses), then reprocess.';
      }
    },
    line: (who: string, plan: string, why: string) => `${who}, ${plan}: ${why}`,
    watchTitle: (group: string) => `New license errors in ${group}`,
    watchText: (n: number, group: string) =>
      `${n === 1 ? '1 member of' : `${n} members of`} ${group} ${n === 1 ? 'has' : 'have'} a new license error from the group. Entra does not retry on its own: fix the cause, then reprocess.`,
    watchMore: (n: number) => `and ${n} more (status and the group name lists them all)`,
    cliNothing: (name: string) => `Nothing to reprocess: nobody in ${name} has a license error from a group.`,
    cliConfirm: (n: number, name: string) => `Reprocess ${plural(n, 'member', 'members')} of ${name}? [y/N] `,
    cliApprovalRequired:
      'REPROCESS_APPROVAL=required: a reprocess needs a second administrator. Ask for it in Teams (reprocess and the group); the CLI runs nothing without approval.',
  },

  // The command line (src/cli): usage errors, confirmations, refusals and the plain-text reports.
  // Errors, refusals and lookups it shares with the bot come from the sections above
  // (src/i18n/explain.ts); these are the sentences only the CLI says.
  cli: {
    /** After what to do about a resume the check refused: the commands to resume or cancel from here. */
    recheckAgain: (id: string, as: string) =>
      `then run "plan-switch resume ${id} --as ${as}" again; or "plan-switch cancel ${id} --as ${as}" to stop here (what ran stays changed; "undo ${id}" in Teams reverses it).`,
    usage: {
      unknownOption: (option: string) => `Unknown option '${option}'.`,
      missingValue: (option: string) => `Option '${option}' needs a value.`,
      takesNoValue: (option: string) => `Option '${option}' does not take a value.`,
      invalid: (detail: string) => `Invalid arguments: ${detail}`,
      badLang: (value: string) => `--lang must be en or nl, not '${value}'.`,
      unknownCommand: (command: string, commands: string) => `Unknown command '${command}'. Commands: ${commands} (see plan-switch --help).`,
      unexpectedArgument: (arg: string) => `Unexpected argument '${arg}'.`,
      whichRequest: (command: string) => `Say which change request: plan-switch ${command} 12 --as UPN.`,
      whoAreYou: (id: string) => `Say who you are: --as UPN (the person who asked for change ${id}, or an approver).`,
      notTaken: (command: string, option: string) => `'${command}' does not take --${option}.`,
      adoptWhichGroup: 'Say which group: --group NAME|ID (its members hold the plan directly).',
      planOnce: 'Give the plan once: --plan PLAN.',
      notANumber: (option: string, raw: string) => `--${option} must be a number, not '${raw}'.`,
      atLeastOne: (option: string) => `--${option} must be at least 1.`,
      onlyOneOf: (options: string[]) => `Give only one of ${options.length <= 1 ? (options[0] ?? '') : `${options.slice(0, -1).join(', ')} or ${options[options.length - 1]}`}.`,
      sayWho: (options: string[]) => `Say who: ${options.length <= 1 ? (options[0] ?? '') : `${options.slice(0, -1).join(', ')} or ${options[options.length - 1]}`}.`,
      needsValue: (option: string) => `--${option} needs a value.`,
      teamsBoth: 'Give --split-teams or --join-teams, not both.',
      teamsOneAtATime: 'Split Teams works on one user or one group: --group or --user.',
      teamsProposes: (option: string, command: string, kind: 'user' | 'group') => `--${option} does not go with ${command}: the plans are proposed from what the ${kind} holds.`,
      whichTarget: 'Say which plan to move to: --to <plan> (e.g. --to E3).',
      tooManyPlans: (max: number) => `At most ${max} plans for --to and ${max} for --from.`,
      includeDirectGroupOnly: '--include-direct only applies to a group change.',
      badCountry: (raw: string) => `--set-usage-location takes a two-letter ISO 3166 country code such as BE or NL (GB for the United Kingdom), not '${raw}'.`,
      wavesUsersOnly: '--pilot and --wave-size apply to a list of users (--users-file).',
      usersFileUnreadable: (path: string, code: string | undefined) => `Cannot read users file '${path}'${code === 'ENOENT' ? ': no such file' : code ? ` (${code})` : ''}.`,
      usersFileEmpty: (path: string) => `The users file '${path}' names no users.`,
    },
    /** Before a license write: the y/N question on a terminal ([y/N]; y, yes, j and ja all say yes). */
    confirmSwap: (who: string, from: string, to: string, users: number) => `Swap ${who} from ${from} to ${to} (${plural(users, 'user', 'users')})? [y/N] `,
    confirmAdopt: (members: number, group: string, plan: string) => `Move ${plural(members, 'member', 'members')} of ${group} onto the group's ${plan}? [y/N] `,
    needYes: 'not changing licenses without confirmation: add --yes (no terminal to ask on).',
    needYesReprocess: 'not reprocessing without confirmation: add --yes (no terminal to ask on).',
    cancelled: 'cancelled; nothing was changed.',
    cancelledReprocess: 'cancelled; nothing was reprocessed.',
    waiting: 'Waiting for Entra to process the group members...',
    notEveryone: (refused: number, inErrorAfter?: number) =>
      `the change did not go through for everyone (${refused} refused${inErrorAfter === undefined ? '' : `, ${inErrorAfter} in error after processing`}).`,
    notEveryoneWaves: (failed: number, total: number) => `the change did not go through for everyone (${failed} of ${total} failed).`,
    wavesStopped: (wave: number, count: number, share: string, limit: string, notSent: number) =>
      `stopped after wave ${wave} of ${count}: ${share} of its people failed, more than ${limit}. ${plural(notSent, 'person was', 'people were')} not sent; fix the causes and run the change again for them.`,
    graphConfig: (problems: string) => `Graph configuration is invalid: ${problems}`,
    unexpected: 'unexpected error',
    /** Names a person types after --from (or --plan for adopt) when the change leaves it open. */
    nameSource: 'Name it with --from PLAN.',
    nameAdoptPlan: 'Name it with --plan PLAN.',
    // The plain-text reports (src/cli/format.ts).
    group: (name: string) => `group ${name}`,
    andMore: (n: number) => `and ${n} more`,
    moreLines: (n: number) => `... and ${n} more`,
    tag: { block: 'BLOCK', warn: 'WARN', info: 'INFO' },
    adoptHead: (group: string, plan: string) => `Adopt: ${group} takes over ${plan} from its members' own copies`,
    adoptCounts: (own: number, seats: string) => `Own copies to remove: ${own}; seats used: ${seats}`,
    seatsMore: (needed: number, available: number) => `${needed} more (${available} available)`,
    seatsUnchanged: 'unchanged (a plan counts once per person)',
    change: (who: string, from: string, to: string) => `Change: ${who} from ${from} to ${to}`,
    affected: (n: number) => `Users affected: ${n}`,
    seatsOf: (plan: string, needed: number, available: number) => `Seats of ${plan}: needed ${needed}, available ${available}`,
    affectedSeats: (n: number, needed: number, available: number) => `Users affected: ${n}; seats needed ${needed}, available ${available}`,
    calls: (groups: number, users: number, directIncluded: boolean) =>
      `Calls: ${[groups ? `${groups} group assignLicense` : '', users ? `${users} user assignLicense` : ''].filter(Boolean).join(' + ') || 'none'}${directIncluded ? ' (direct copies included)' : ''}`,
    findings: 'Findings',
    counts: (block: number, warn: number, info: number) => `${block} blocking, ${plural(warn, 'warning', 'warnings')}, ${plural(info, 'note', 'notes')}`,
    resultBlocked: (counts: string) => `Result: BLOCKED (${counts}). Nothing was changed.`,
    resultReady: (counts: string) => `Result: ready to run (${counts}).`,
    usageLocationSet: (country: string, names: string) => `Usage location set to ${country}: ${names}`,
    usageLocationNotSet: (names: string) => `Usage location not set: ${names}`,
    accepted: (names: string) => `Accepted by Entra (processed in the background): ${names}`,
    changed: (n: number) => `Changed: ${plural(n, 'user', 'users')}`,
    failed: (n: number) => `Failed: ${n}`,
    refused: 'refused',
    trackComplete: 'Processing complete',
    trackTimeout: (state: string) => `Still processing (${state}) when the wait ended; check again with 'plan-switch status'`,
    trackEnded: (state: string) => `Processing ended as ${state}`,
    trackSummary: (head: string, done: number, inError: number, holding: number) => `${head}: ${done} done, ${inError} in error, ${holding} still holding the old plan elsewhere.`,
    stillHolding: (names: string) => `Still holding the old plan: ${names}`,
    plansColumns: { plan: 'Plan', partNumber: 'Part number', aliases: 'Also called', enabled: 'Enabled', consumed: 'Consumed', available: 'Available', status: 'Status' },
    groupState: (state: string | undefined, members: number | undefined, inError: number) =>
      `Processing state: ${state ?? 'Unknown'}; members: ${members ?? '?'}; members with license errors: ${inError}`,
    statusColumns: { plan: 'Plan', from: 'From', state: 'State', error: 'Error', disabled: 'Disabled services' },
    groupNoLicenses: 'No licenses assigned to the group.',
    userNoLicenses: 'No licenses.',
    direct: 'direct',
    /** plan-switch --help (kept in step with README.md, section "Command line"; nl.ts has the Dutch). */
    help: `plan-switch: move Microsoft 365 users and groups from one license plan to another in one
combined assignLicense call (add the new plan and remove the old one at the same moment).

Usage:
  plan-switch preflight (--group NAME|ID | --user UPN|ID | --users-file FILE) [--from PLAN]... --to PLAN...
                        [--include-direct] [--enable SERVICE]... [--disable SERVICE]...
                        [--set-usage-location COUNTRY] [--json]
  plan-switch swap      ... same as preflight ... [--yes] [--no-wait] [--timeout SECONDS] [--json]
                        [--pilot N] [--wave-size N]
  plan-switch adopt     --group NAME|ID [--plan PLAN] [--accept-loss UPN|ID]... [--dry-run] [--yes]
                        [--pilot N] [--wave-size N] [--timeout SECONDS] [--json]
  plan-switch split-teams (--group NAME|ID | --user UPN|ID) [--json]
  plan-switch join-teams  (--group NAME|ID | --user UPN|ID) [--json]
  plan-switch swap      (--group NAME|ID | --user UPN|ID) --split-teams|--join-teams [--yes] ...
  plan-switch status    (--group NAME|ID | --user UPN|ID) [--json]
  plan-switch plans     [--json]
  plan-switch doctor    [--group NAME|ID] [--user UPN|ID] [--json]
  plan-switch reprocess (--group NAME|ID | --user UPN|ID) [--yes] [--json]
  plan-switch pause|resume|cancel ID --as UPN [--json]

Commands:
  preflight  Check a change and show what it would do. Writes nothing.
  swap       Preflight, then run the change. Refuses when the preflight blocks. Asks y/N on a
             terminal; without a terminal it needs --yes. A group change is followed until Entra
             has processed the members (--no-wait to skip, --timeout to bound; default 600 s).
             A users file longer than the pilot runs in waves: a pilot (WAVE_PILOT, default 5;
             --pilot), then waves of WAVE_SIZE (default 100; --wave-size), each read back before
             the next; it stops when more than WAVE_PAUSE_AT (10%) of a wave fails, says why per
             person, and sends nothing more (exit 1).
  adopt      The group takes over the plan its members hold directly (Microsoft's "migrate users
             with individual licenses to groups"): the group gets the plan (one write, no extra
             seats), Entra processes it, then the members' own copies are removed in waves (a pilot
             of 5, then 100 at a time), each member checked first: only those whose copy from the
             group is Active and covers their own lose it. --accept-loss names members whose own copy
             has services the group's turns off, to remove it anyway. --dry-run: the check only.
  split-teams  Teams unbundling: for each suite the user or group holds, propose its "(no Teams)"
             version plus the Teams licence the tenant has (Microsoft Teams Enterprise, or Teams EEA
             beside an EEA version), as one change, and preflight it. Writes nothing. Only plans
             the tenant subscribes to are proposed; otherwise it says which to buy (exit 2).
             Run it with: swap --group NAME --split-teams [--yes].
  join-teams   The reverse: the "(no Teams)" version and the Teams licence back into the suite.
  status     A user's licenses (with where each comes from) or a group's licenses and processing state.
  plans      The tenant's plans with seats enabled, consumed and available.
  doctor     Read-only check of the tenant: sign-in, the app's permissions (the token's roles)
             against docs/deploy.md, and each kind of Graph read once, on --group and --user
             or the first licensed ones; says per read what is missing and the fix. Exit 0 when
             everything Plan Switch needs works, 1 otherwise.
  reprocess  The members of a group (or one user) whose group licenses are in error, with why
             and the fix; then Entra evaluates them again (reprocessLicenseAssignment, after the
             cause was fixed) and it says who is now licensed and who is still in error. Asks y/N
             on a terminal, else needs --yes. Refused when REPROCESS_APPROVAL=required (ask in
             Teams, where a second administrator approves). Exit 1 when someone is still in error.
  pause, resume, cancel
             A change request of the bot running in waves (STATE_DB as the bot's): pause stops it
             before its next wave, resume checks the remaining people again and carries on from
             there (a running bot instance takes it over within a minute; if something blocks,
             e.g. too few licenses left, it stays paused, nothing is sent, and each finding is
             printed with what to do), cancel stops it for good (the waves not yet run are not sent;
             a request still waiting for approval is withdrawn). --as names who acts: the person
             who asked for the change or an approver, as in Teams; audited. Exit 1 when refused.

Options:
  --from PLAN         Source plan ("E1", "STANDARDPACK", "Office 365 E1" or a skuId). Optional when
                      the user or group holds exactly one candidate. Repeat it to remove several
                      plans in the same change.
  --to PLAN           Target plan. Repeat it to add several plans in one change, e.g.
                      --from E3 --to "E3 (no Teams)" --to "Teams Enterprise": one assignLicense
                      call per user or group adds every target and removes every source.
  --users-file FILE   One UPN or object id per line; # starts a comment.
  --include-direct    Group change: also swap members' direct copies of the source plan.
  --set-usage-location COUNTRY
                      Set this usage location (ISO code: BE, NL...) first for the people of the
                      change who have none (PATCH /users/{id} before the license calls). Needs the
                      app permission User.ReadWrite.All (doctor shows it); never changes one set.
  --enable/--disable  Force a service of the target plan on or off (plan name or id); repeatable.
  --json              Machine-readable output: { change, findings, counts } (swap adds result, tracking);
                      codes stay as they are, the texts (message) are in the language of --lang.
  --lang en|nl        Language of everything plan-switch says (default en): findings, questions,
                      refusals and errors, in the same sentences as the bot's cards.
  -y, --yes           Do not ask for confirmation.
  -h, --help          This help.

Exit codes: 0 done (or nothing blocks), 2 blocked by the preflight, 1 error (bad input, unknown
plan or principal, Graph refused or failed; nothing is written for bad input).

Graph: without GRAPH_BASE_URL the bundled sandbox tenant is started on 127.0.0.1:SANDBOX_PORT
(default 3979) from SANDBOX_TENANT (default data/demo-tenant.json). GRAPH_BASE_URL on loopback
uses a sandbox started apart. Real Graph: GRAPH_BASE_URL=https://graph.microsoft.com/v1.0 with
AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH, or
GRAPH_AUTH=managed-identity.
`,
  },

  findings: {
    SAME_PLAN: (_d: D) => 'The source and the target are the same plan: there is nothing to swap.',
    SOURCE_NOT_ASSIGNED: (d: D) => {
      if (!d.group)
        return `${str(d.plan) ? `${str(d.plan)} (one of the plans to remove)` : 'The source plan'} is not assigned here, so there is nothing to swap. Remove them from the change.${list(d.notFound) ? ` Not found in the directory: ${list(d.notFound)}.` : ''}`;
      const direct = num(d.directHolders) ?? 0;
      const users = Array.isArray(d.suggestUsers) ? d.suggestUsers.filter((u): u is string => typeof u === 'string') : [];
      const move = d.button
        ? ': the first button below checks exactly that'
        : users.length && str(d.from) && str(d.to)
          ? `: say "move ${users.length === 1 ? 'user' : 'users'} ${users.join(', ')} from ${plansOf(d.fromPlans) ?? str(d.from)} to ${plansOf(d.toPlans) ?? str(d.to)}"`
          : ', in one message or with the command line (--users-file)';
      const parts = [`The group does not have ${str(d.plan) ? `${str(d.plan)}, one of the plans to remove` : 'the source plan'}, so there is nothing to swap on it.`];
      if (direct)
        parts.push(
          `${direct === 1 ? 'One member holds' : `${direct} members hold`} it directly: move ${direct === 1 ? 'that user on their own' : 'them as users'} instead${move}.`,
        );
      if (direct && d.adoptButton)
        parts.push(
          'Or let the group take the plan over from them: the group gets it, then their own copies go, with no extra licenses; the second button checks that (afterwards the group can be moved).',
        );
      if (list(d.otherGroups)) parts.push(`Members also get it from the group ${list(d.otherGroups)}: change that group instead.`);
      return parts.join(' ');
    },
    SOURCE_INHERITED: (d: D) =>
      d.keepsGroupCopy
        ? `They also get the source plan from ${list(d.groups) ? `the group ${list(d.groups)}` : 'a group'}: the swap replaces their own copy, and the group's copy stays beside the new plan (two licenses). Change the group, or take them out of it, to end that.`
        : `They get the source plan from ${list(d.groups) ? `the group ${list(d.groups)}` : 'a group'}. A license that comes from a group can't be removed on the user: change the group's license instead, or take them out of the group first.`,
    SOURCE_ALSO_ELSEWHERE: (d: D) => {
      const direct = Array.isArray(d.direct) ? d.direct.length > 0 : d.suggestIncludeDirectCopies !== false;
      const groups = list(d.otherGroups);
      const where = [direct ? 'directly' : '', groups ? `from the group ${groups}` : ''].filter(Boolean).join(' or ');
      const effect =
        d.clash === false
          ? 'They keep it next to the new plan and use two licenses.'
          : 'They keep it, and the new plan from this group will fail for them (mutually exclusive): they stay on the old plan with the new one in error.';
      const fix = [direct ? 'include their direct copies in this change' : '', groups ? 'change the other group too' : ''].filter(Boolean).join(', or ');
      return `Some members also hold the source plan ${where || 'elsewhere'}. ${effect}${fix ? ` To avoid this, ${fix}.` : ''}`;
    },
    TARGET_ALREADY_ASSIGNED: (d: D): string =>
      d.group
        ? 'The group already has the target plan: its disabled services will be replaced by the ones carried over from the source plan.'
        : num(d.direct)
          ? 'They already have the target plan assigned directly: swapping would overwrite its settings and could not be undone cleanly. Remove the source plan on its own instead.'
          : num(d.inherited)
            ? 'They already get the target plan from a group: no new license is needed for them.'
            : 'They already have the target plan: they need no new license.',
    SEATS_SHORT: (d: D) => {
      if (d.adopt)
        return `Not enough licenses for the members who hold the plan from nowhere today: ${num(d.needed) ?? '?'} needed, ${num(d.available) ?? '?'} available. Members who hold it directly need none. Buy or free licenses, or take those members out of the group first.`;
      const disabled = num(d.disabledAccounts);
      const accounts = disabled
        ? ` ${disabled === 1 ? 'One of them is a disabled account, which still uses' : `${disabled} of them are disabled accounts, which still use`} a license.`
        : '';
      return `Not enough ${str(d.plan) ? `${str(d.plan)} ` : ''}licenses: ${num(d.needed) ?? '?'} needed, ${num(d.available) ?? '?'} available${num(d.short) ? ` (${num(d.short)} short)` : ''}. Licenses freed from the source plan don't count.${accounts} Buy or free licenses first.`;
    },
    TARGET_NOT_ACTIVE: (d: D) => {
      const status = str(d.capabilityStatus);
      if (d.unusable) return `The target subscription is ${status ?? 'not active'}: its licenses can't be assigned. Renew or reactivate it first.`;
      if (status?.toLowerCase() === 'warning')
        return 'The target subscription is in its grace period (Warning): it has expired or is about to, and stops working unless it is renewed.';
      return `The target subscription is not active${status ? ` (${status})` : ''}. Check it in the Microsoft 365 admin center.`;
    },
    TARGET_NOT_ASSIGNABLE: (d: D) => `The target plan is a ${str(d.appliesTo) ?? 'non-user'} subscription and can't be assigned to users or groups.`,
    MUTUALLY_EXCLUSIVE: (d: D) => {
      const sku = name(d.sku) ?? 'another plan';
      const services = list(Array.isArray(d.plans) ? d.plans.map((p) => (p as { service?: string }).service ?? '').filter(Boolean) : d.plans);
      // Several plans in one change (multiplan): two of the plans to add clash with each other.
      if (d.betweenTargets)
        return `Two of the plans to add clash with each other: ${name(d.target) ?? 'one'} and ${sku}${services ? ` (${services})` : ''} can't be on one user. Add only one of them.`;
      return d.addOn
        ? `The new plan may clash with services bundled in ${sku}${services ? ` (${services})` : ''}. Add-ons like this are usually accepted beside a suite; if Microsoft refuses, disable the bundled service in ${sku}.`
        : `A license conflict: the new plan clashes with ${sku}${services ? ` (${services})` : ''}, which they keep. Both can't be on one user: remove ${sku} or disable the clashing service first.`;
    },
    DEPENDENCY_BROKEN: (d: D) => {
      const plan = str(d.planLabel) ?? str(d.plan) ?? 'A service';
      const needs = list(d.requiresLabels ?? d.requiresAnyOf)?.replace(/, ([^,]*)$/, ' or $1') ?? 'another service';
      if (d.directCopyRemoval)
        return `Their own copy of ${name(d.sku) ?? 'the old plan'} is removed before the group's: the group's copy needs ${needs} for its ${plan}, which only their own copy gives, so Microsoft refuses that removal and they keep their own copy. Leave their direct copies out of this change, or enable ${needs} in the group's license first.`;
      return d.targetOwnPlan
        ? `The new plan's ${plan} needs ${needs}, which would be off: Microsoft will refuse it. Keep one of them enabled.`
        : `${name(d.sku) ? `${name(d.sku)}'s ` : ''}${plan} needs ${needs}, which the source plan provides today and the new plan, as set up, doesn't. Keep that service enabled in the new plan${name(d.sku) ? `, or enable it in ${name(d.sku)}` : ''}.`;
    },
    DIRECT_COPIES_NOT_RESTORED: (d: D) => {
      const removed = num(d.removed) ?? 0;
      const swapped = num(d.swapped) ?? 0;
      const parts = ['This undo changes the group only.'];
      if (removed)
        parts.push(
          `${plural(removed, 'member', 'members')} also had the old plan directly; those copies were removed and are not put back: they get the old plan from the group again, with the group's services.`,
        );
      if (swapped) parts.push(`${plural(swapped, 'member keeps', 'members keep')} the new plan on their own copy: undo them as users.`);
      return parts.join(' ');
    },
    SERVICES_LOST: (d: D) => {
      const down = few(d.downgraded);
      // Services lost because the plan lacks them, apart from those lost with removed direct copies.
      const other = few(Array.isArray(d.lost) && Array.isArray(d.directLost) ? d.lost.filter((s) => !(d.directLost as unknown[]).includes(s)) : d.lost);
      const direct = few(d.directLost);
      const parts = [
        other ? `they lose ${other}: the new plan has no such service` : '',
        down ? `they get a smaller edition of ${down}` : '',
        direct ? `members whose own copy of the old plan this change removes lose ${direct}: the group's new plan has it turned off, as its old plan did` : '',
      ].filter(Boolean);
      return parts.length
        ? `${parts.join('; ').replace(/^./, (c) => c.toUpperCase())}. This can mean loss of service or data.`
        : 'Some services would be lost or downgraded: see the list above.';
    },
    USAGE_LOCATION_MISSING: (d: D): string => {
      const fix = d.fix && typeof d.fix === 'object' ? (d.fix as { country?: unknown }) : undefined;
      const needs = str(d.fixNeeds);
      const offer = fix
        ? str(fix.country)
          ? ` Plan Switch can set it to ${country(fix.country)}, the organization's country, or another country, as part of this change.`
          : ' Plan Switch can set it as part of this change: choose the country.'
        : needs
          ? ` With the application permission ${needs} Plan Switch could set it as part of the change (see doctor).`
          : '';
      if (d.direct) return `No usage location: a license can't be assigned directly without one.${fix ? offer : ` Set it in Entra ID first.${offer}`}`;
      return str(d.defaultCountry)
        ? `No usage location: group licensing will use the organization's country, ${str(d.defaultCountryName) ?? str(d.defaultCountry)} (${str(d.defaultCountry)}).${offer}`
        : `No usage location, and the organization has no country set either: the license may fail. Set usage locations first.${offer}`;
    },
    // Usage location fixed in the change (issue 13 part 6).
    USAGE_LOCATION_SET: (d: D) =>
      `Usage location will be set to ${country(d.country)} for ${plural(num(d.count) ?? 0, 'person', 'people')} before the license change, as part of this change. An undo leaves it set.`,
    USAGE_LOCATION_KEPT: (d: D) =>
      `The change set the usage location to ${country(d.country)} for ${plural(num(d.count) ?? 0, 'person', 'people')}: this undo leaves it set (Plan Switch never clears a usage location).`,
    GROUP_SYNCED: (d: D): string =>
      d.adopt
        ? "The group is synchronized from on-premises: its membership is managed there, and Plan Switch leaves it alone. That's fine: whoever is a member gets the plan from the group, and someone taken out of the group later loses it, as they no longer hold their own copy."
        : "The group is synchronized from on-premises: its membership is managed there and changes arrive with a delay. The swap changes the group's license only, not its members.",
    GROUP_DYNAMIC: (d: D) =>
      d.adopt
        ? `The group has dynamic membership${str(d.membershipRule) ? `, by the rule ${str(d.membershipRule)}` : ''}: membership comes from the rule, and Plan Switch leaves it alone. That's fine: whoever the rule makes a member gets the plan from the group, and someone the rule drops later loses it, as they no longer hold their own copy.`
        : `The group has dynamic membership${str(d.membershipRule) ? `, by the rule ${str(d.membershipRule)}` : ''}: people join and leave as the rule says, and whoever is a member gets the new plan.`,
    GROUP_NOT_SECURITY: (_d: D) => 'Only security groups can hold licenses, and this group is not one. Use a security group, or enable security on this group.',
    NESTED_GROUPS: (d: D): string =>
      d.adopt
        ? "The group contains other groups: licenses reach direct members only, so the members of those groups don't inherit the plan from this group and keep their own copies."
        : 'The group contains other groups: licenses reach direct members only, so the members of those groups get nothing from this group, before or after the swap.',
    GROUP_PROCESSING: (d: D) =>
      `Entra ID is still processing an earlier license change for this group${str(d.state) ? ` (${processing(str(d.state)!)})` : ''}. Wait until it finishes.`,
    MEMBERS_IN_ERROR: (d: D) =>
      d.adopt
        ? `Some members already have license errors from this group${errors(d.byError) ? ` (${errors(d.byError)})` : ''}: each keeps their own copy until their copy from the group works. Fix the cause, then run the adopt again.`
        : `Some members already have license errors from this group${errors(d.byError) ? ` (${errors(d.byError)})` : ''}. The swap applies the group's new license to them too: an error the old plan caused (a clash with it) goes with it, any other stays until its cause is fixed; the other findings say what applies to them.`,
    TARGET_ALREADY_HELD: (d: D) => {
      const plan = name(d.target) ?? 'the target plan';
      const where = [d.group ? 'on the group itself' : '', d.direct ? 'directly' : '', list(d.groups) ? `from the group ${list(d.groups)}` : ''].filter(Boolean).join(' and ');
      return `They already have ${plan}${where ? ` (${where})` : ''}: there is nothing to move, and nothing will run. To replace another plan with it anyway, name that plan ("from ...").`;
    },
    // Several plans in one change (multiplan)
    TEAMS_NEEDED: (d: D) => {
      const s = Array.isArray(d.services) ? d.services : [];
      const what =
        [s.includes('phone') ? 'Teams Phone' : '', s.includes('conferencing') ? 'Audio Conferencing' : ''].filter(Boolean).join(' and ') || 'Teams Phone or Audio Conferencing';
      return `They keep ${what}${list(d.skus) ? ` (from ${list(d.skus)})` : ''}, which need${s.length > 1 ? '' : 's'} Teams, but have no Teams license after this change: calls and dial-in stop working for them. Add a Teams plan to the change (for example "and Teams Enterprise").`;
    },
    SUITE_STACKED: (d: D) => {
      const other = name(d.sku) ?? 'another suite';
      const plan = name(d.target) ?? 'the new plan';
      const n = num(d.seats) ?? num(d.count) ?? 0;
      const from = [num(d.direct) ? 'directly' : '', list(d.groups) ? `from the group ${list(d.groups)}` : ''].filter(Boolean).join(' and ');
      return `They would hold ${plan} and keep ${other}${from ? ` (${from})` : ''}: two suites paid for, with overlapping services. That keeps ${plural(n, `${other} license`, `${other} licenses`)} in use beside ${plan}. Remove ${other} from them, or move them from ${other} instead.`;
    },
    // Adopt (direct copies to the group)
    ADOPT_NO_DIRECT_COPIES: (d: D) => {
      const plan = str(d.plan) ?? 'the plan';
      if (num(d.allKept))
        return `Everyone who holds ${plan} directly keeps that copy (see below) and the group has it already: nothing would change. Accept the loss for them, or turn those services on for the group first.`;
      return `No member of the group holds ${plan} directly, so there is nothing for the group to take over${d.groupHasPlan ? ': they get it from the group already' : ''}.${num(d.nested) ? " Members of nested groups don't count: licenses reach direct members only." : ''}`;
    },
    ADOPT_GROUP_PLAN: (d: D) => {
      const plan = str(d.plan) ?? 'the plan';
      const off = few(d.servicesOff);
      const how = off ? `with ${off} turned off` : 'with every service on';
      const gainers = num(d.gainers) ?? 0;
      const from =
        d.disabledFrom === 'members'
          ? ", as the members' own copies have it"
          : d.disabledFrom === 'union'
            ? ': their own copies differ, so every service any of them has on stays on'
            : '';
      const head = d.groupHasPlan ? `The group already has ${plan} (${how}): only the members' own copies go.` : `The group gets ${plan} ${how}${from}.`;
      const gain = gainers ? ` ${gainers === 1 ? 'One member gains services they had' : `${gainers} members gain services they had`} turned off.` : '';
      return `${head}${gain} No extra licenses: a plan counts once per person, whether assigned directly, inherited from a group, or both.`;
    },
    ADOPT_SERVICES_NOT_COVERED: (d: D) => {
      const services = few(d.services) ?? 'some services';
      return d.accepted
        ? `Accepted: their own copy is removed although the group's copy turns off ${services}, so they lose ${services}. This can mean loss of service or data.`
        : `Their own copy has ${services} on, which the group's copy turns off: they keep their own copy (one license all the same). Accept the loss to remove it anyway, or turn those services on for the group.`;
    },
    ADOPT_NEW_SEATS: (d: D) =>
      `${num(d.count) === 1 ? 'One member holds' : `${num(d.count) ?? 'Some'} members hold`} ${str(d.plan) ?? 'the plan'} from nowhere today: the group gives it to them too, using ${plural(num(d.count) ?? 0, 'more license', 'more licenses')} (${num(d.available) ?? '?'} available). Take them out of the group first if they should not have it.`,
    ADOPT_GROUP_COPY_CONFLICT: (d: D) =>
      `The group's copy will be in error for them: it clashes with ${list(d.skus) ?? 'another plan'}, which they hold. Their own copy, if they have one, stays; fix the clash and run the adopt again.`,
    // Reprocess (issue 13 part 5)
    REPROCESS_MEMBERS: (d: D) =>
      `${plural(num(d.count) ?? 0, 'member', 'members')} in error will be reprocessed${errors(d.byError) ? ` (${errors(d.byError)})` : ''}: Entra evaluates their group licenses again. Those whose cause was fixed (licenses bought or freed, a usage location set, a clashing license removed) get the license; the others keep their error, and the answer says why.`,
    NOTHING_TO_REPROCESS: (d: D) => `Nobody${str(d.name) ? ` in ${str(d.name)}` : ''} has a license error from a group any more: there is nothing to reprocess.`,
  } satisfies Record<FindingCode, (d: D) => string>,
};

export type Messages = Omit<typeof en, 'lang' | 'locale'> & { lang: 'en' | 'nl'; locale: string };
