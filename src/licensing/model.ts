// The license service's vocabulary: plain, serialisable data shared by the preflight, the swap,
// tracking, the CLI and the bot. Nothing here knows about HTTP or botbuilder.

export type Severity = 'block' | 'warn' | 'info';

export const FINDING_CODES = [
  'SAME_PLAN',
  'SOURCE_NOT_ASSIGNED',
  'SOURCE_INHERITED',
  'SOURCE_ALSO_ELSEWHERE',
  'TARGET_ALREADY_ASSIGNED',
  'SEATS_SHORT',
  'TARGET_NOT_ACTIVE',
  'TARGET_NOT_ASSIGNABLE',
  'MUTUALLY_EXCLUSIVE',
  'DEPENDENCY_BROKEN',
  'SERVICES_LOST',
  'USAGE_LOCATION_MISSING',
  'GROUP_SYNCED',
  'GROUP_DYNAMIC',
  'GROUP_NOT_SECURITY',
  'NESTED_GROUPS',
  'GROUP_PROCESSING',
  'MEMBERS_IN_ERROR',
  'DIRECT_COPIES_NOT_RESTORED',
  'TARGET_ALREADY_HELD',
  'SUITE_STACKED',
  // Adopt (direct copies to the group): src/licensing/preflight/adopt.ts
  'ADOPT_NO_DIRECT_COPIES',
  'ADOPT_GROUP_PLAN',
  'ADOPT_SERVICES_NOT_COVERED',
  'ADOPT_NEW_SEATS',
  'ADOPT_GROUP_COPY_CONFLICT',
  // usage location fixed in the change (issue 13 part 6)
  'USAGE_LOCATION_SET',
  'USAGE_LOCATION_KEPT',
  // reprocess (issue 13 part 5)
  'REPROCESS_MEMBERS',
  'NOTHING_TO_REPROCESS',
  // several plans in one change (issue 13 part 1)
  'TEAMS_NEEDED',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export type PrincipalKind = 'user' | 'group';

/** A user or group as shown to people: enough to name it and find it again. */
export interface PrincipalRef {
  kind: PrincipalKind;
  id: string;
  displayName: string;
  /** Users only. */
  userPrincipalName?: string;
}

export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** Every principal the finding is about (the bot shows the first ten and a count). */
  principals: PrincipalRef[];
  /** Code-specific facts (the sentence is rendered from them: src/i18n findings.CODE(data), for the CLI and the cards alike), e.g. { needed, available } for SEATS_SHORT. Plain JSON. */
  data: Record<string, unknown>;
}

/** What the admin asked for, before anything was looked up. Serialisable (stored with requests). */
export type PrincipalQuery =
  | { kind: 'user'; user: string } // UPN or object id
  | { kind: 'group'; group: string } // object id or display name
  | { kind: 'users'; users: string[] }; // UPNs or object ids

export interface ChangeSpec {
  principal: PrincipalQuery;
  /** Source plan as the admin typed it (alias, part number, product name or skuId). Optional: inferred when the principal has exactly one candidate. */
  from?: string;
  to: string;
  /**
   * Several plans in one change: the further targets after `to` and sources after `from`, as the
   * admin typed them ("to E3 (no Teams) and Teams Enterprise"). Every target is added and every
   * source removed in the same assignLicense call per principal. Absent on single-plan changes (and
   * on requests stored before they existed). `alsoFrom` needs `from`.
   */
  alsoTo?: string[];
  alsoFrom?: string[];
  /** Group swap: also swap the direct copies of the source held by members (see SOURCE_ALSO_ELSEWHERE). */
  includeDirectCopies?: boolean;
  /** Per-plan override of the carried-over services: plan names or ids to force on or off in the target. */
  planOverrides?: { enable?: string[]; disable?: string[] };
  /** Exact target disabledPlans per principal id (used by undo to restore what was there before). */
  exactDisabledPlans?: Record<string, string[]>;
  /** Several targets: exact disabledPlans per principal id, then per target skuId (lower case); set by undo of a several-plans change. */
  exactDisabledBySku?: Record<string, Record<string, string[]>>;
  /**
   * Undo of a group change that included members' direct copies (set by reverse()): the undo
   * changes the group only, so these members' own copies are not put back as they were. Shown on
   * the preflight (DIRECT_COPIES_NOT_RESTORED); changes nothing else.
   */
  directCopiesNotRestored?: { removed: PrincipalRef[]; swapped: PrincipalRef[] };
  /**
   * Adopt: the group (principal) takes over the plan `to` that its members hold directly; their
   * direct copies are removed once each holds an Active inherited copy covering it. `from` is
   * ignored. acceptLoss: user ids whose direct copy has services the group's copy turns off,
   * accepted by the admin (removed anyway).
   */
  adopt?: { acceptLoss?: string[] };
  /**
   * Set this usage location (ISO 3166-1 alpha-2) on the people of the change who have none, with
   * PATCH /users/{id} before the license writes (needs User.ReadWrite.All). `userIds`: exactly
   * whom (a request pins them from its preflight, so the approval covers those people only);
   * absent: everyone in the change without one at the check. People who have one are never changed.
   */
  setUsageLocation?: { country: string; userIds?: string[] };
  /**
   * Undo of a change that set usage locations (set by reverse()): the undo leaves them set. Shown
   * on the preflight (USAGE_LOCATION_KEPT); changes nothing else.
   */
  usageLocationKept?: { country: string; users: PrincipalRef[] };
  /**
   * Reprocess instead of a swap (REPROCESS_APPROVAL=required makes it a request like any other):
   * Entra evaluates these users' group licenses again (`principal` is the group they are members
   * of, or the one user). Empty: every member in error now. `to` is then the plan in error, for
   * display only.
   */
  reprocess?: { userIds: string[] };
  /**
   * Waves (issue 13): the per-person calls run as a pilot wave of `pilot` people, then waves of
   * `size`, each read back before the next; a wave whose error share passes `pauseAtErrorShare`
   * (0.1 = 10 %) pauses the run. Unset: the defaults (WAVE_PILOT, WAVE_SIZE, WAVE_PAUSE_AT) apply
   * to a change with more per-person calls than the pilot (src/requests/waves.ts).
   */
  waves?: WaveSettings;
}

/** How a large change runs in waves (ChangeSpec.waves; defaults from the configuration). */
export interface WaveSettings {
  pilot: number;
  size: number;
  pauseAtErrorShare: number;
}

export interface ServicePlanInfo {
  id: string;
  name: string;
  friendlyName: string;
  family?: string;
}

/** One of the tenant's subscribed SKUs, enriched with the reference data. */
export interface PlanInfo {
  skuId: string;
  skuPartNumber: string;
  /** Friendly product name, e.g. "Office 365 E3". */
  displayName: string;
  /** Short names admins type ("E3", "M365 E3"), for display and matching. */
  aliases: string[];
  appliesTo: string;
  capabilityStatus: string;
  enabled: number;
  warning: number;
  suspended: number;
  consumed: number;
  /** enabled - consumed, never below 0. */
  available: number;
  servicePlans: ServicePlanInfo[];
}

export type PlanSummary = Pick<PlanInfo, 'skuId' | 'skuPartNumber' | 'displayName'>;

/** One assignLicense call of the change. */
export interface Assignment {
  principal: PrincipalRef;
  addLicenses: { skuId: string; disabledPlans: string[] }[];
  removeLicenses: string[];
  /** disabledPlans the principal had on the source before the change (for undo). */
  previousDisabledPlans: string[];
  /**
   * Several sources: the disabledPlans the principal had on each source it held, by skuId (lower
   * case), for undo. `previousDisabledPlans` is then the first source's. Absent on single-plan changes.
   */
  previousDisabledBySku?: Record<string, string[]>;
}

export interface ResolvedChange {
  kind: 'user' | 'group' | 'users' | 'adopt';
  /** The user or group; for a list of users, a synthetic ref { kind: 'user', id: 'users:<n>', displayName: '<n> users' }. */
  principal: PrincipalRef;
  from: PlanSummary;
  to: PlanSummary;
  /** The further targets and sources of a several-plans change (see targetsOf / sourcesOf in change-plans.ts). Absent on single-plan changes. */
  alsoTo?: PlanSummary[];
  alsoFrom?: PlanSummary[];
  /** One entry per assignLicense call the swap will make, in order. */
  assignments: Assignment[];
  /** Users whose licenses change (group: its direct user members). */
  affectedUsers: number;
  seats: { needed: number; available: number };
  /** Several targets: the seats of each, in order (`seats` is the first's). Absent on single-plan changes. */
  seatsByTarget?: (PlanSummary & { needed: number; available: number })[];
  /** Friendly names of services, by family where known. */
  servicesKept: string[];
  servicesLost: string[];
  servicesGained: string[];
  /** Services kept in a higher / lower edition, "Exchange Online mailbox: Exchange Online (Plan 1) -> Exchange Online (Plan 2)". Not in servicesKept. (Absent on changes stored before they existed.) */
  servicesUpgraded?: string[];
  servicesDowngraded?: string[];
  includeDirectCopies: boolean;
  /** People whose usage location is set (PATCH /users/{id}) before the license writes, and to what. */
  setUsageLocation?: { country: string; users: PrincipalRef[] };
  /** Adopt changes only: what the group gets and whose direct copies go (from = to = the plan). */
  adopt?: AdoptPlan;
  /**
   * A reprocess, not a swap: no assignments; swap() asks Entra to evaluate these users' group
   * licenses again, track() reads them back (done: now fine; errors: still in error). `from` and
   * `to` are the plan in error, for display.
   */
  reprocess?: { users: PrincipalRef[]; groupId?: string };
}

/** Why a member keeps their direct copy in an adopt. */
export type AdoptKeepReason =
  /** Their direct copy has services the group's copy turns off (and the admin did not accept the loss). */
  | 'servicesNotCovered'
  /** Their inherited copy is in error (Entra's error in `error`). */
  | 'error'
  /** No inherited copy from the group (not processed, or no longer a member). */
  | 'notInherited'
  /** Removing the direct copy failed (Graph's code in `error`, its own words in `message`). */
  | 'removeFailed';

export interface AdoptKept {
  principal: PrincipalRef;
  reason: AdoptKeepReason;
  /** Entra's error value for 'error' (e.g. CountViolation); Graph's error code for 'removeFailed'. */
  error?: string;
  /**
   * Graph's own message for 'removeFailed'. Rows stored before the cards said the reasons in the
   * reader's language hold an English sentence here: shown as stored when there is no code.
   */
  message?: string;
  /** Friendly names of the services the group's copy turns off ('servicesNotCovered'). */
  services?: string[];
}

/**
 * Why a run stopped, or what went wrong beside it, as a code and data: the cards and the CLI say
 * it in the reader's language (src/i18n/run-error.ts). `detail`: the technical cause as it came
 * (an exception's or Graph's own words); `cause`: the same as a code and data, said in the reader's
 * language (rows stored before it: `detail` as stored). RequestResult.error keeps the English sentence for the
 * log, and rows stored before this hold only that.
 */
export type RunError =
  | { code: 'recheckFailed'; detail: string; cause?: FailureCause }
  | { code: 'refusedBeforeWriting'; detail: string; cause?: FailureCause }
  | { code: 'swapCallFailed'; detail: string; cause?: FailureCause }
  | { code: 'trackingFailed'; detail: string }
  | { code: 'stillProcessing'; state: string }
  | { code: 'tooLate' }
  | { code: 'adoptGroupRefused'; detail: string }
  | { code: 'adoptTrackingFailed'; detail: string }
  | { code: 'adoptStillProcessing'; state: string }
  | { code: 'adoptWaveFailures'; wave: number; failed: number; sent: number; left: number };

/**
 * A technical failure kept with a request as a code and data (the check before a wave, the check
 * of the remaining people before a resume): the cards and the CLI say it in the reader's language
 * (src/i18n/explain.ts failureText). `code`: a LicensingError's code with its data (GRAPH_ERROR:
 * Graph's status, code and own words), or 'UNEXPECTED' for anything else ({ message }).
 */
export interface FailureCause {
  code: LicensingErrorCode | 'UNEXPECTED';
  data: Record<string, unknown>;
  /** The English text, for the log and the CLI's JSON (and what UNEXPECTED shows an English reader). */
  message: string;
}

/**
 * Why a usage location could not be set (src/licensing/explain.ts usageLocationWhy), said from the
 * tables: the app may not write it, Graph did not take the country, the user is gone, or another cause.
 */
export type UsageLocationWhy = 'forbidden' | 'rejected' | 'notFound' | 'other';

/**
 * Why an adopt left a member's direct copy alone, as stored with the request: codes and data only,
 * said in the reader's language when shown (src/requests/stored-text.ts). 'gone': no direct copy
 * any more, nothing to remove. Rows written before this hold an English `message` instead.
 */
export type AdoptSkip = Omit<AdoptKept, 'principal'> | { reason: 'gone' };

export interface AdoptPlan {
  /** The group holds the plan already (no group write). */
  groupHasPlan: boolean;
  /**
   * The group's own assignLicense (adding the plan), when it lacks it: made first, and followed
   * until Entra has processed it, before any of `assignments` (the removals, which may run in waves).
   */
  groupWrite?: Assignment;
  /** The group's disabledPlans for the plan (as written, or as it holds them). */
  groupDisabledPlans: string[];
  /** How the group's disabledPlans were chosen: the group's own, the members' (agreeing) copies, or the services any member has on. */
  disabledFrom: 'group' | 'members' | 'union' | 'none';
  /** Members whose direct copy stays (known at the check): who and why. */
  keep: AdoptKept[];
  /** User ids whose loss of services the admin accepted. */
  acceptLoss: string[];
  /** Members who get a new seat from the group (they hold the plan from nowhere today). */
  newSeats: number;
}

/** An adopt's per-member check before their direct copies are removed (adoptCheck). */
export interface AdoptCheck {
  /** Hold an Active inherited copy that covers their direct copy: their direct copy may go. */
  ready: PrincipalRef[];
  /** Keep their direct copy, and why. */
  kept: AdoptKept[];
  /** Hold no direct copy any more (removed already): nothing to do. */
  gone: PrincipalRef[];
}

/** How far an adopt's run got, and whose direct copies went or stayed (lists cut to 100 when recorded). */
export interface AdoptProgress {
  /** group: the group's write; processing: Entra applies it; removing: waves of removals; done. */
  phase: 'group' | 'processing' | 'removing' | 'done';
  /** Waves run so far, of how many. */
  wave: number;
  waves: number;
  removed: PrincipalRef[];
  removedCount: number;
  /** Members who keep their direct copy, and why. */
  kept: AdoptKept[];
  keptCount: number;
  /** Members whose direct copy was gone already when their wave came. */
  goneCount: number;
  /** The run stopped early (a wave's failures passed the threshold): why. */
  stoppedAfterWave?: number;
}

export interface PreflightResult {
  change: ResolvedChange;
  findings: Finding[];
  counts: { block: number; warn: number; info: number };
  /** True when any finding has severity block: such a change must not run. */
  blocked: boolean;
  checkedAt: string;
}

export interface SwapOutcome {
  principal: PrincipalRef;
  /** changed = user call returned 200; accepted = group call returned 202; failed = Graph refused. */
  status: 'changed' | 'accepted' | 'failed';
  /** Plain-words reason for a failure. */
  reason?: string;
  graphCode?: string;
  graphMessage?: string;
  /** An adopt's removal not sent (the member is not ready): why, as codes and data. */
  adoptKept?: Omit<AdoptKept, 'principal'>;
  /** The usage location the change sets could not be set (no license call was made): why, as a code. */
  usageLocationWhy?: UsageLocationWhy;
}

export interface SwapResult {
  kind: ResolvedChange['kind'];
  /** The usage locations written before the license calls: whose was set, whose could not be. */
  usageLocation?: { country: string; set: PrincipalRef[]; failed: SwapOutcome[] };
  outcomes: SwapOutcome[];
  changed: PrincipalRef[];
  failed: SwapOutcome[];
  startedAt: string;
  finishedAt: string;
}

export interface TrackingProgress {
  groupId: string;
  processingState: string;
  elapsedMs: number;
  polls: number;
  /** Adopt, once Entra has processed the group: direct copies removed so far, wave by wave. */
  adopt?: { wave: number; waves: number; removed: number; total: number };
}

export interface MemberError {
  principal: PrincipalRef;
  /** Entra's error value, e.g. CountViolation. */
  error: string;
  /** Plain words: what it means and what to do. */
  message: string;
}

export interface TrackingReport {
  groupId: string;
  outcome: 'complete' | 'timeout' | 'failed';
  processingState: string;
  /** Members now holding the target from this group with the source gone from this group. */
  done: PrincipalRef[];
  errors: MemberError[];
  /** Members that still hold the source from another source (direct or another group). */
  stillHoldingSource: PrincipalRef[];
  polls: number;
  elapsedMs: number;
  finishedAt: string;
}

export interface TrackOptions {
  /** A fixed time between two reads of the group's processing state; unset: the service's (adaptive by default). */
  pollIntervalMs?: number;
  timeoutMs?: number;
  /** Called on every poll: the bot pushes it as progress. */
  onProgress?: (p: TrackingProgress) => void | Promise<void>;
  signal?: AbortSignal;
  /** Only assignment states updated at or after this instant count as "after the change". */
  since?: string;
}

export interface PrincipalMatch extends PrincipalRef {
  /** Users: department; groups: "security", "dynamic", "synced"… for display. */
  detail?: string;
}

export type LicensingErrorCode = 'PLAN_UNKNOWN' | 'PLAN_AMBIGUOUS' | 'PRINCIPAL_UNKNOWN' | 'PRINCIPAL_AMBIGUOUS' | 'SOURCE_AMBIGUOUS' | 'INVALID_INPUT' | 'BLOCKED' | 'GRAPH_ERROR';

/** An error a person can act on: the bot and the CLI show `message` (or render from code + data). */
export class LicensingError extends Error {
  constructor(
    readonly code: LicensingErrorCode,
    message: string,
    /** e.g. { name, candidates: PlanSummary[] } or { query, suggestions: PrincipalMatch[] } */
    readonly data: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'LicensingError';
  }
}

/** A LicensingError, also when it crossed a module boundary as a plain Error with its name and code. */
export function isLicensingError(err: unknown): err is LicensingError {
  return err instanceof LicensingError || (err instanceof Error && err.name === 'LicensingError' && 'code' in err);
}

/** One group license a member holds in error (licenseAssignmentStates). */
export interface LicenseInError {
  plan: PlanSummary;
  /** The group the license comes from. */
  groupId: string;
  /** Entra's error value: CountViolation, MutuallyExclusiveViolation, ... ('Other' when it names none). */
  error: string;
}

/** The members of a group (or one user) whose group licenses are in error, as read now. */
export interface MembersInError {
  principal: PrincipalRef;
  members: { principal: PrincipalRef; errors: LicenseInError[] }[];
}

/** Current licensing of one principal, for `status` and for choosing a source plan. */
export interface PrincipalStatus {
  principal: PrincipalRef;
  /** For users: every (SKU, source) pair; for groups: the group's own assignedLicenses. */
  licenses: {
    plan: PlanSummary;
    /** null = direct; group id otherwise (users only). */
    assignedByGroup: string | null;
    assignedByGroupName?: string;
    state?: string;
    error?: string | null;
    disabledPlans: string[];
  }[];
  /** Groups only. */
  processingState?: string;
  memberCount?: number;
  membersInError?: number;
}

/**
 * What the bot and the CLI call. Implemented by LicenseService (src/licensing/service.ts) over the
 * Graph gateway. Every method that is given bad input throws LicensingError and writes nothing.
 */
/** How far a preflight's member read has come: members read, about how many there are, whose. */
export interface ReadProgress {
  read: number;
  /** From a $count read: an estimate (it counts every member object, and it lags a little). */
  total?: number;
  /** The group's display name, once it is known. */
  name?: string;
}

export interface PreflightOptions {
  /** Called as pages of members arrive (and when the total is known); must not throw. */
  onProgress?: (p: ReadProgress) => void;
  /** Stops the member read (the preflight then fails with the abort). */
  signal?: AbortSignal;
}

// ---- Teams unbundling (splitteams): the proposal of src/licensing/split-teams.ts.

export type SplitDirection = 'split' | 'join';

export const SPLIT_NOTE_CODES = [
  /** Holds no suite that has a "(no Teams)" twin. data: { held: string[] } */
  'NOTHING_TO_SPLIT',
  /** Split already: holds the twins. data: { plans: string[] } */
  'ALREADY_SPLIT',
  /** Join: holds no "(no Teams)" twin. data: { held: string[] } */
  'NOTHING_TO_JOIN',
  /** The suite (split) or twin (join) comes from a group: change the group. data: { plans: string[], groups: string[], direction } */
  'FROM_GROUP',
  /** No subscription for the twin. data: { suite: string, buy: string[] } */
  'BUY_TWIN',
  /** No subscription for the Teams licence. data: { twin: string, buy: string } */
  'BUY_TEAMS',
  /** Join: no subscription for the suite. data: { twin: string, buy: string[] } */
  'BUY_SUITE',
  /** More than one subscribed SKU would do: the admin names one. data: { plan: string, candidates: PlanSummary[] } */
  'CHOOSE',
] as const;
export type SplitNoteCode = (typeof SPLIT_NOTE_CODES)[number];

/** Why nothing (or not everything) could be proposed; the sentence is src/i18n teams.notes.CODE(data). */
export interface SplitNote {
  code: SplitNoteCode;
  data: Record<string, unknown>;
}

/** The proposed change: a ChangeSpec with from / alsoFrom / to / alsoTo filled (skuIds). */
export type SplitSpec = ChangeSpec;

export interface SplitProposal {
  direction: SplitDirection;
  principal: PrincipalRef;
  /** Set when a change can be proposed (the notes are then empty): preflight it like any other. */
  spec?: SplitSpec;
  /** The plans that go and come, in the spec's order. */
  remove: PlanSummary[];
  add: PlanSummary[];
  notes: SplitNote[];
}

export interface LicensePort {
  listPlans(): Promise<PlanInfo[]>;
  resolvePlan(name: string): Promise<PlanInfo>;
  findPrincipals(query: string, opts?: { kind?: PrincipalKind; top?: number }): Promise<PrincipalMatch[]>;
  status(principal: PrincipalQuery): Promise<PrincipalStatus>;
  preflight(spec: ChangeSpec, opts?: PreflightOptions): Promise<PreflightResult>;
  /** Runs the change as planned. Never called for a blocked preflight (throws BLOCKED). */
  swap(change: ResolvedChange): Promise<SwapResult>;
  /** Group swaps: follow Entra's background processing to the end. Never throws on timeout. */
  track(change: ResolvedChange, opts?: TrackOptions): Promise<TrackingReport>;
  /**
   * Teams unbundling: for each suite the user or group holds (a user's own, a group's own), its
   * "(no Teams)" twin plus the Teams licence; 'join' the reverse. Reads, never writes.
   */
  proposeTeamsSplit(principal: PrincipalQuery, direction: SplitDirection): Promise<SplitProposal>;
  /** The exact reverse of a change: source back with its previous disabledPlans. Throws INVALID_INPUT for an adopt (nothing to reverse as one change). */
  reverse(change: ResolvedChange): ChangeSpec;
  /**
   * Adopt: are these members (user ids) ready to lose their direct copy? Reads them (again, a few
   * times, while a read may predate the group's processing) and checks each holds an Active
   * inherited copy from the group that covers their direct copy.
   */
  adoptCheck(change: ResolvedChange, userIds: string[], opts?: { signal?: AbortSignal }): Promise<AdoptCheck>;
  /** A user by UPN or object id, or null (used to resolve APPROVERS and the person behind an activity). */
  resolveUser(idOrUpn: string): Promise<PrincipalRef | null>;
  /** Object ids of a group's direct user members (APPROVERS may name groups). */
  groupMemberIds(groupId: string): Promise<string[]>;
  /** A group's members (or one user) whose group licenses are in error now. */
  membersInError(principal: PrincipalQuery): Promise<MembersInError>;
  /** The tenant behind the gateway (sandbox mode: the only tenant whose activities are accepted). */
  tenant(): Promise<{ id: string; displayName: string; defaultUsageLocation: string | null }>;
}
