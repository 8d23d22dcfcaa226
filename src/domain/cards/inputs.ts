// Input builders the cards share: a text input that holds at most its field's limit (tickets/fields.ts), and
// a button that opens a small form under the card.
import type { Action, Element, InputText } from './types';

export interface TextInputOptions {
  /** What was typed before, when a form comes back. */
  readonly value?: string | undefined;
  /** Makes the input required: the text Teams shows when it is left empty. */
  readonly required?: string | undefined;
  readonly multiline?: boolean | undefined;
  readonly style?: InputText['style'] | undefined;
}

/**
 * A text input of at most `max` characters.
 * @example textInput('reason', 'Why', LIMITS.reason, { multiline: true, required: 'Why is required' })
 */
export function textInput(id: string, label: string, max: number, o: TextInputOptions = {}): InputText {
  return {
    type: 'Input.Text',
    id,
    label,
    ...(o.multiline === undefined ? {} : { isMultiline: o.multiline }),
    ...(o.style === undefined ? {} : { style: o.style }),
    ...(o.required === undefined ? {} : { isRequired: true, errorMessage: o.required }),
    maxLength: max,
    ...(o.value === undefined ? {} : { value: o.value }),
  };
}

/** A button that opens a small form under the card, and the action that sends it. */
export function showCard(title: string, body: readonly Element[], action: Action): Action {
  return { type: 'Action.ShowCard', title, card: { type: 'AdaptiveCard', body, actions: [action] } };
}
