// Invoke answers in the shapes Teams expects (Universal Actions and type-ahead search).
import type { InvokeResponse } from './sdk';
import type { AdaptiveCard } from './cards/render';

export const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';
export const ERROR_TYPE = 'application/vnd.microsoft.error';
export const MESSAGE_TYPE = 'application/vnd.microsoft.activity.message';
export const SEARCH_TYPE = 'application/vnd.microsoft.search.searchResponse';

export function cardResponse(card: AdaptiveCard): InvokeResponse {
  return { status: 200, body: { statusCode: 200, type: CARD_TYPE, value: card } };
}

export function errorResponse(status: number, code: string, message: string): InvokeResponse {
  return { status, body: { statusCode: status, type: ERROR_TYPE, value: { code, message } } };
}

export function searchResponse(results: { title: string; value: string }[]): InvokeResponse {
  return { status: 200, body: { statusCode: 200, type: SEARCH_TYPE, value: { results } } };
}
