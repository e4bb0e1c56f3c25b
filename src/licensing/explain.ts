// Graph's license errors in plain words, with what to do about them. Pure string mapping.
import { GUID_PATTERN } from '../guid';
import { en } from '../i18n';
import type { UsageLocationWhy } from './model';

const GUID = new RegExp(GUID_PATTERN, 'gi');

function plans(message: string): string {
  // "service plans SHAREPOINTSTANDARD, SHAREPOINTENTERPRISE are mutually exclusive" -> the names.
  const m = message.match(/service plans? (.+?) (?:are mutually exclusive|depends? on)/i);
  return m
    ? m[1]!
        .replace(GUID, '')
        .replace(/\(\s*\)/g, '')
        .replace(/\s+,/g, ',')
        .trim()
    : '';
}

/** A refused assignLicense call (Graph code + message) explained for an admin. */
export function explainAssignError(graphCode: string, graphMessage: string): string {
  const code = (graphCode ?? '').trim();
  const msg = (graphMessage ?? '').trim();
  const text = `${code} ${msg}`.toLowerCase();

  if (/usage ?location/.test(text)) {
    return "The user has no usage location, and a license can't be assigned directly without one. Set the user's usage location (their country) in Entra ID, then run the change again.";
  }
  if (/does not have any available licenses|no available licenses|not enough licenses|countviolation|insufficient licenses/.test(text)) {
    return 'There are no free licenses left for the new plan. Buy more, or free some by removing the plan from people who no longer need it, then run the change again.';
  }
  if (/mutually exclusive|mutuallyexclusive/.test(text)) {
    const p = plans(msg);
    return `The new plan clashes with another license the user keeps${p ? ` (service plans ${p} can't be on one user together)` : ''}. Remove or change the other license, or disable the clashing service in one of them, then run the change again.`;
  }
  if (/depends on|dependency|dependencyviolation/.test(text)) {
    const p = plans(msg);
    return `Another license of the user needs a service that would go away with this change${p ? ` (${p} depends on it)` : ''}. Keep that service enabled in the new plan, or change the dependent license first.`;
  }
  if (/inherited|group membership/.test(text)) {
    return "The user gets this license from a group, so it can't be removed on the user. Change the group's license, or take the user out of the group.";
  }
  if (/throttl|too ?many ?requests|\b429\b|rate limit/.test(text)) {
    return 'Microsoft Graph is throttling requests right now. Nothing was changed by this call; wait a few minutes and run it again.';
  }
  if (
    /disabledplans|disabled plan|service ?plan.*(invalid|not (?:part|valid))|invalid (?:service )?plan|subscription.*not found|invalid license|license.*(?:not valid|invalid)|sku.*(?:invalid|does not exist)/.test(
      text,
    )
  ) {
    return "Graph didn't accept the plan or one of its services: the plan may not be in this tenant any more, or a service to disable isn't part of it. Refresh the plans list and check the services chosen, then try again.";
  }
  if (/request_resourcenotfound|resource.*not found|does not exist|not ?found|\b404\b/.test(text)) {
    return 'The user or group no longer exists (or was just created and is not visible yet). Check the name, wait a minute, and try again.';
  }
  if (/authorization_requestdenied|insufficient privileges|forbidden|\b403\b/.test(text)) {
    return "The bot isn't allowed to change licenses here: the app needs the LicenseAssignment.ReadWrite.All permission with admin consent.";
  }
  const detail = msg || code || 'no details';
  return `Microsoft Graph refused the change (${detail}). Nothing was changed for this one; check the message and try again.`;
}

/** A member's licenseAssignmentStates error (group licensing) in plain words. */
export function explainMemberError(error: string): string {
  switch ((error ?? '').trim().toLowerCase()) {
    case 'countviolation':
      return 'Not enough licenses: the group could not give this member the plan because none were left. Buy or free licenses; Entra retries the member when licenses become available (or reprocess the user).';
    case 'mutuallyexclusiveviolation':
      return 'The plan clashes with another license the member holds (for example the old plan held directly or from another group). Remove the other license, then reprocess the user.';
    case 'dependencyviolation':
      return 'Another license of the member needs a service the group no longer provides. Enable that service in the group license or change the dependent license, then reprocess the user.';
    case 'prohibitedinusagelocationviolation':
      return "The plan can't be used in the member's usage location (country). Change the member's usage location or use a plan available there.";
    case 'uniquenessviolation':
      return "One of the member's attributes must be unique in the tenant (usually the proxy address or UPN) and clashes with another object. Fix the duplicate, then reprocess the user.";
    case '':
    case 'none':
      return 'No error is recorded for this member.';
    case 'other':
    default:
      return 'Entra could not apply the license for a reason it does not name. Check the user in the Entra admin center (Licenses) and reprocess the user.';
  }
}

/** Why a PATCH of a user's usage location was refused (Graph code + message), as a code the tables say. */
export function usageLocationWhy(graphCode: string, graphMessage: string, status?: number): UsageLocationWhy {
  const text = `${graphCode ?? ''} ${graphMessage ?? ''} ${status ? `http ${status}` : ''}`.toLowerCase();
  if (/authorization_requestdenied|insufficient privileges|forbidden|\b403\b/.test(text)) return 'forbidden';
  if (/usagelocation|usage location|invalid value/.test(text)) return 'rejected';
  if (/request_resourcenotfound|not ?found|does not exist|\b404\b/.test(text)) return 'notFound';
  return 'other';
}

/** A refused PATCH of a user's usage location explained for an admin, in English (the log, the CLI's JSON). */
export function explainUsageLocationError(graphCode: string, graphMessage: string, status?: number): string {
  return en.usageLocation.notSetWhy(usageLocationWhy(graphCode, graphMessage, status), (graphCode ?? '').trim(), (graphMessage ?? '').trim());
}

/** A refused reprocessLicenseAssignment (Graph code + message) explained for an admin. */
export function explainReprocessError(graphCode: string, graphMessage: string): string {
  const text = `${graphCode ?? ''} ${graphMessage ?? ''}`.toLowerCase();
  if (/authorization_requestdenied|insufficient privileges|forbidden|\b403\b/.test(text)) {
    return "The bot isn't allowed to reprocess users: the app needs the User.ReadWrite.All permission with admin consent (Microsoft lists no narrower one for this call). Nothing was reprocessed for this user.";
  }
  if (/request_resourcenotfound|not ?found|does not exist|\b404\b/.test(text)) return 'The user no longer exists. Nothing to reprocess.';
  if (/throttl|too ?many ?requests|\b429\b/.test(text)) return 'Microsoft Graph is throttling requests right now. Wait a few minutes and reprocess again.';
  return `Microsoft Graph refused to reprocess this user (${(graphMessage || graphCode || 'no details').trim()}). Try again later.`;
}
