// Pieces shared by the view models: facts, buttons and severity colours.
import type { Severity } from '../../licensing/model';
import type { Verb } from '../actions/data';

export interface Fact {
  title: string;
  value: string;
}

export interface CardAction {
  title: string;
  verb: Verb;
  data: Record<string, unknown>;
  style: 'default' | 'positive' | 'destructive';
}

export type TextColor = 'Default' | 'Good' | 'Warning' | 'Attention' | 'Accent';
export type ContainerStyle = 'default' | 'good' | 'warning' | 'attention' | 'accent' | 'emphasis';

export const SEVERITY_COLOR: Record<Severity, TextColor> = { block: 'Attention', warn: 'Warning', info: 'Accent' };

export function action(title: string, verb: Verb, data: Record<string, unknown> = {}, style: CardAction['style'] = 'default'): CardAction {
  return { title, verb, data, style };
}
