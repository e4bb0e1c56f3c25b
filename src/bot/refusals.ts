// The workflow's refusals in the admin's language (the workflow's own message is plain English).
// The mapping is shared with the CLI (src/i18n/explain.ts); the card escapes the tenant's names.
import type { WorkflowResult } from '../requests/types';
import { refusalSentence, type Messages, type RefusalAction } from '../i18n';
import { md } from './cards/render';

type Refusal = Extract<WorkflowResult, { ok: false }>;

export function refusalText(t: Messages, r: Refusal, id?: string, action?: RefusalAction): string {
  return refusalSentence(t, r, id, action, md);
}
