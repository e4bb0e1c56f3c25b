// The bot's one door to the Bot Framework SDK (botbuilder, archived and out of support since
// 31 December 2025): every type and helper the bot uses from it comes through here. Moving to the
// Microsoft 365 Agents SDK (@microsoft/agents-hosting) changes this file and src/server/ (the
// adapter), not the handlers; test/architecture/imports.test.ts keeps it that way.
export { ActivityTypes, CardFactory, TeamsActivityHandler, TurnContext } from 'botbuilder';
export type { Activity, Attachment, ConversationReference, InvokeResponse } from 'botbuilder';
