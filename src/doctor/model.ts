// What `plan-switch doctor` (and `doctor` in chat) finds out about a tenant, as plain data: the
// CLI prints it, the bot renders it as a card, both from the same message tables.

/** required: the product does not work without it. optional: a feature is off without it. */
export type Need = 'required' | 'optional';

/** What an optional permission or read turns on (message keys in src/i18n "doctor.feature"). */
export type Feature = 'assign' | 'readUsers' | 'readGroups' | 'readOrganization' | 'readPlans' | 'setUsageLocation' | 'installForApprovers' | 'progressTotal';

export interface PermissionCheck {
  permission: string;
  need: Need;
  feature: Feature;
  granted: boolean;
  /** A higher permission granted in its place (it works, but is more than needed). */
  via?: string;
  /** `via` is itself one of the permissions asked for (nothing more than needed). */
  viaAsked?: boolean;
}

/** The reads the product makes, once each (message keys in "doctor.call"). */
export type CallName =
  | 'organization'
  | 'subscribedSkus'
  | 'findGroup'
  | 'group'
  | 'groupUsers'
  | 'nestedGroups'
  | 'memberCount'
  | 'membersWithLicenseErrors'
  | 'user'
  | 'findUsers'
  | 'batch'
  | 'teamsApps';

export type CallStatus =
  /** Graph answered with everything the product reads. */
  | 'ok'
  /** 403: the permission named in `permission` is missing. */
  | 'missingPermission'
  /** 2xx, but without the fields in `fields` (never read as "none"). */
  | 'missingField'
  /** Graph wanted a request header (`header`). */
  | 'headerWanted'
  /** The named group or user does not exist (or is not visible). */
  | 'notFound'
  /** Any other refusal or failure (status, code, message). */
  | 'failed'
  /** Not tried: nothing to try it on (no group or user found). */
  | 'skipped';

export interface CallCheck {
  call: CallName;
  need: Need;
  /** e.g. "GET /groups/{id}/members/microsoft.graph.user?$select=...&$top=999" (ids kept out). */
  request: string;
  status: CallStatus;
  /** The least privileged permission this read needs (what a 403 asks for). */
  permission: string;
  fields?: string[];
  header?: string;
  error?: { status: number; code: string; message: string };
  ms: number;
}

export interface SignIn {
  ok: boolean;
  appId?: string;
  tenantId?: string;
  /** Why no token came (the credential's message). */
  error?: string;
}

export interface Subject {
  id: string;
  displayName: string;
  /** How it was chosen: named with --group/--user, or the first licensed one found. */
  chosen: 'named' | 'firstLicensed';
}

export interface DoctorReport {
  /** Everything the product needs works (exit 0). */
  ok: boolean;
  graphBaseUrl: string;
  signIn: SignIn;
  tenant?: { id: string; displayName: string };
  permissions: PermissionCheck[];
  /** Roles in the token beyond the ones asked for (least privilege: worth a look). */
  extraRoles: string[];
  group?: Subject;
  user?: Subject;
  calls: CallCheck[];
  ms: number;
}
