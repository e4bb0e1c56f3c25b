// The shape an incoming Bot Framework activity must have before the adapter sees it. Teams
// always sends these fields; anything else is answered 400 with what is wrong, in plain words,
// instead of failing somewhere inside the SDK. In local mode (no token checks) replies may only
// go to a loopback serviceUrl: the bot never posts to a host a caller made up.
import { isLoopbackUrl } from '../config';

/** Activity types a channel sends to a bot. Others (invokeResponse, trace, handoff, …) are refused. */
export const INBOUND_TYPES: ReadonlySet<string> = new Set([
  'message',
  'invoke',
  'conversationUpdate',
  'installationUpdate',
  'messageReaction',
  'messageUpdate',
  'messageDelete',
  'typing',
  'event',
  'endOfConversation',
]);

/** Longest text accepted in an activity at all. */
const MAX_FIELD = 512;

function str(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}

function optStr(v: unknown, max: number): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.length <= max);
}

function obj(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** What is wrong with `body` as an activity, or undefined when it may go to the adapter. */
export function activityProblem(body: unknown, opts: { localMode: boolean }): string | undefined {
  if (!obj(body)) return 'The body must be a Bot Framework activity (a JSON object with a type).';
  const a = body;
  if (typeof a.type !== 'string' || !a.type) return 'The body must be a Bot Framework activity (a JSON object with a type).';
  if (!INBOUND_TYPES.has(a.type)) return `Activities of type "${a.type.slice(0, 40)}" are not accepted.`;
  if (!optStr(a.id, MAX_FIELD)) return 'activity.id must be a string.';
  if (!optStr(a.channelId, 64)) return 'activity.channelId must be a string.';
  if (!str(a.serviceUrl, 2048)) return "activity.serviceUrl is required (the channel's URL).";
  let url: URL;
  try {
    url = new URL(a.serviceUrl);
  } catch {
    return 'activity.serviceUrl is not a URL.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'activity.serviceUrl must be an http(s) URL.';
  if (url.username || url.password) return 'activity.serviceUrl must not carry credentials.';
  if (opts.localMode && !isLoopbackUrl(a.serviceUrl)) return 'Local mode: activity.serviceUrl must be a loopback address.';
  if (!obj(a.conversation) || !str(a.conversation.id, MAX_FIELD)) return 'activity.conversation.id is required.';
  if (!optStr(a.conversation.tenantId, 128)) return 'activity.conversation.tenantId must be a string.';
  if (!optStr(a.conversation.conversationType, 64)) return 'activity.conversation.conversationType must be a string.';
  if (!obj(a.from) || !str(a.from.id, MAX_FIELD)) return 'activity.from.id is required.';
  if (!optStr(a.from.aadObjectId, 128)) return 'activity.from.aadObjectId must be a string of at most 128 characters.';
  if (!optStr(a.from.name, MAX_FIELD)) return 'activity.from.name must be a string.';
  if (a.recipient !== undefined && (!obj(a.recipient) || !optStr(a.recipient.id, MAX_FIELD))) return 'activity.recipient must be an object with an id.';
  if (a.text !== undefined && a.text !== null && typeof a.text !== 'string') return 'activity.text must be a string.';
  if (!optStr(a.name, 128)) return 'activity.name must be a string.';
  if (!optStr(a.locale, 64)) return 'activity.locale must be a string.';
  if (!optStr(a.replyToId, MAX_FIELD)) return 'activity.replyToId must be a string.';
  if (a.type === 'invoke' && !str(a.name, 128)) return 'An invoke activity needs a name.';
  if (a.channelData !== undefined && a.channelData !== null && !obj(a.channelData)) return 'activity.channelData must be an object.';
  return undefined;
}
