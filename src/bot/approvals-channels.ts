// Approvals channels: team channels and group chats where every approval card is posted as well,
// so approvers who never opened Plan Switch themselves still see requests. A channel is added
// when an approver adds the bot there (installation.ts) or named by APPROVALS_CHANNEL; it is
// dropped, with a log line, when the bot is removed there or Teams refuses a post (403/404).
// Kept in the durable conversation store, so a restart (or another instance) knows them.
import type { ConversationReference } from './sdk';
import type { ApprovalsChannelSetting } from '../requests/config';
import type { ApprovalsChannel, StoredConversation } from '../requests/conversation-store';
import type { Conversations } from './conversations';
import { convKey } from './conversations';
import type { Logger } from './deps';
import type { Messages } from '../i18n';
import { md } from './cards/render';

const MAX_CHANNELS = 10;

export type { ApprovalsChannel };

/** Teams answered that the bot may not post there any more (removed, or the conversation is gone). */
export function isRefusedPost(err: unknown): boolean {
  const e = err as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } } | undefined;
  const status = Number(e?.statusCode ?? e?.status ?? e?.response?.status);
  return status === 403 || status === 404;
}

export class ApprovalsChannels {
  constructor(
    private readonly conv: Conversations,
    private readonly log: Logger,
    private readonly configured?: ApprovalsChannelSetting,
  ) {}

  async list(): Promise<ApprovalsChannel[]> {
    const stored = await this.conv.store.approvalsChannels();
    const c = this.configured;
    if (!c || stored.some((s) => s.conversationId === c.conversationId)) return stored;
    const dropped = await this.conv.store.droppedChannels();
    if (dropped.includes(c.conversationId)) return stored;
    const kind = /@thread\.v2$/i.test(c.conversationId) ? 'groupChat' : 'channel';
    return [{ key: convKey(c.conversationId), conversationId: c.conversationId, kind, ...(c.name ? { name: c.name } : {}), configured: true }, ...stored];
  }

  /** Remembers a channel; false when it was known already. */
  async add(channel: ApprovalsChannel): Promise<boolean> {
    const stored = await this.conv.store.approvalsChannels();
    const known = stored.find((c) => c.conversationId === channel.conversationId);
    const dropped = await this.conv.store.droppedChannels();
    if (dropped.includes(channel.conversationId)) await this.conv.store.saveDroppedChannels(dropped.filter((d) => d !== channel.conversationId));
    const next = [...stored.filter((c) => c.conversationId !== channel.conversationId), { ...known, ...channel }].slice(-MAX_CHANNELS);
    await this.conv.store.saveApprovalsChannels(next);
    // Cards go in as new posts, not as replies to the installation event's message.
    const ref = await this.conv.store.conversation(channel.key);
    if (ref && 'activityId' in ref) {
      const { activityId: _, ...post } = ref;
      await this.conv.store.saveConversation(channel.key, post);
    }
    if (!known) this.log.info('approvals_channel.added', { conversationId: channel.conversationId, name: channel.name ?? null, addedBy: channel.addedBy ?? null });
    return !known;
  }

  /** Forgets a channel (the bot was removed, or Teams refused a post); the channel as it was, when known. */
  async drop(conversationId: string, why: 'removed' | 'refused', detail: Record<string, unknown> = {}): Promise<ApprovalsChannel | undefined> {
    const all = await this.list();
    const channel = all.find((c) => c.conversationId === conversationId);
    if (!channel) return undefined;
    const stored = await this.conv.store.approvalsChannels();
    await this.conv.store.saveApprovalsChannels(stored.filter((c) => c.conversationId !== conversationId));
    if (channel.configured) {
      const dropped = await this.conv.store.droppedChannels();
      await this.conv.store.saveDroppedChannels([...new Set([...dropped, conversationId])]);
    }
    this.log.warn('approvals_channel.dropped', {
      conversationId,
      name: channel.name ?? null,
      why,
      configured: !!channel.configured,
      ...detail,
      msg: `Approvals channel ${channel.name ?? conversationId} dropped (${why === 'removed' ? 'the bot was removed there' : 'Teams refused a post'})${channel.configured ? '; APPROVALS_CHANNEL is not used again until the bot is added there' : ''}`,
    });
    return channel;
  }

  /**
   * A reference to post into `channel`. The configured channel has none until the bot hears from
   * it, so it is made from another reference of this tenant (same service URL and bot).
   */
  async ref(channel: ApprovalsChannel, template?: Partial<ConversationReference>): Promise<boolean> {
    if (await this.conv.ref(channel.key)) return true;
    if (!template?.serviceUrl || !template.conversation) return false;
    const { activityId: _a, user: _u, ...base } = template as Partial<ConversationReference> & { activityId?: string };
    await this.conv.store.saveConversation(channel.key, {
      ...base,
      conversation: { id: channel.conversationId, conversationType: channel.kind, isGroup: true, tenantId: template.conversation.tenantId },
    } as StoredConversation);
    return true;
  }
}

/** "the channel IT › Licenses", "the group chat Licence approvers", in the reader's language. */
export function channelLabel(t: Messages, c: Pick<ApprovalsChannel, 'kind' | 'name'>): string {
  if (c.kind === 'groupChat') return c.name ? t.reach.groupChat(md(c.name)) : t.reach.unnamedGroupChat;
  return t.reach.channel(md(c.name ?? 'Teams'));
}
