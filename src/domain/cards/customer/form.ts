// The ticket form, prefilled from the customer's message and with a suggested priority; the domain's
// field errors are shown beside their fields, with what was typed kept.
import type { Policy } from '../../policy/schema';
import { PRIORITIES, type Priority } from '../../sla';
import { AFFECTED_USERS_MAX, LIMITS, type TicketForm } from '../../tickets/fields';
import { CATEGORIES, CATEGORY_LABELS, type Category } from '../../tickets/model';
import { textInput } from '../inputs';
import { card, escape, execute, text, type AdaptiveCard, type Element } from '../types';

/** What the customer typed, kept when the form comes back with errors. */
export type FormValues = TicketForm;

export interface FormView {
  readonly policy: Policy;
  readonly requestId: string;
  readonly values: FormValues;
  readonly errors: Readonly<Record<string, string>>;
  readonly suggestion?: { readonly priority: Priority; readonly reason: string } | undefined;
  /** A line for the customer above the fields (e.g. their message is longer than the description holds). */
  readonly notice?: string | undefined;
  /** Text past the description, sent back on submit and added to the timeline once filed. */
  readonly rest?: string | undefined;
  /** The resolved ticket this one follows up (it could not be reopened any more), e.g. "TM-1042". */
  readonly relatedTo?: string | undefined;
  /** The files of the message that opened the form (JSON), sent back on submit and attached once filed. */
  readonly files?: string | undefined;
}

/** The ticket form, prefilled; validation errors are shown in the card with what was typed kept. */
export function ticketFormCard(v: FormView): AdaptiveCard {
  const p = v.policy.priorities;
  const errorsFor = (field: string): Element[] => {
    const e = v.errors[field];
    return e === undefined ? [] : [text(escape(e), { color: 'attention', size: 'small', spacing: 'none' })];
  };
  const anyErrors = Object.keys(v.errors).length > 0;
  const priority = v.values.priority ?? v.suggestion?.priority ?? 'P3';
  return card(
    [
      text('New support ticket', { size: 'large', weight: 'bolder' }),
      ...(v.notice === undefined ? [] : [text(escape(v.notice), { color: 'accent', weight: 'bolder' })]),
      ...(v.relatedTo === undefined
        ? []
        : [text(`This ticket will be linked to ${escape(v.relatedTo)}.`, { isSubtle: true })]),
      ...(anyErrors
        ? [
            text(escape(v.errors['form'] ?? 'Please check the fields marked below.'), {
              color: 'attention',
              weight: 'bolder',
            }),
          ]
        : []),
      ...(v.suggestion === undefined
        ? []
        : [
            text(
              `Suggested priority: **${v.suggestion.priority}** (${escape(v.suggestion.reason)}). Change it if it does not fit.`,
              { isSubtle: true },
            ),
          ]),
      textInput('title', 'Title', LIMITS.title, {
        required: 'A short title is required',
        value: v.values.title ?? '',
      }),
      ...errorsFor('title'),
      textInput('description', 'What happens?', LIMITS.description, {
        multiline: true,
        required: 'Please describe the problem',
        value: v.values.description ?? '',
      }),
      ...errorsFor('description'),
      {
        type: 'Input.ChoiceSet',
        id: 'category',
        label: 'Category',
        style: 'compact',
        isRequired: true,
        errorMessage: 'Pick a category',
        value: v.values.category ?? 'question',
        choices: CATEGORIES.map((c: Category) => ({ title: CATEGORY_LABELS[c], value: c })),
      },
      ...errorsFor('category'),
      {
        type: 'Input.ChoiceSet',
        id: 'priority',
        label: 'Priority',
        style: 'expanded',
        isRequired: true,
        errorMessage: 'Pick a priority',
        value: priority,
        choices: PRIORITIES.map((k) => ({ title: `${k}: ${p[k].name}`, value: k })),
      },
      ...errorsFor('priority'),
      {
        type: 'Container',
        style: 'emphasis',
        items: PRIORITIES.map((k) =>
          text(`**${k}** ${escape(p[k].definition)} _Example: ${escape(p[k].example)}_`, { size: 'small' }),
        ),
      },
      {
        type: 'Input.Number',
        id: 'affectedUsers',
        label: 'How many users or accounts are affected?',
        min: 0,
        max: AFFECTED_USERS_MAX,
        ...(v.values.affectedUsers === undefined || v.values.affectedUsers === ''
          ? {}
          : { value: Number(v.values.affectedUsers) }),
      },
      ...errorsFor('affectedUsers'),
      textInput('callbackNumber', 'Callback number', LIMITS.callback, {
        style: 'tel',
        value: v.values.callbackNumber ?? '',
      }),
      ...errorsFor('callbackNumber'),
    ],
    {
      actions: [
        execute(
          'File ticket',
          'ticket.submit',
          {
            requestId: v.requestId,
            ...(v.rest === undefined || v.rest === '' ? {} : { rest: v.rest }),
            ...(v.relatedTo === undefined ? {} : { relatedTo: v.relatedTo }),
            ...(v.files === undefined || v.files === '' ? {} : { files: v.files }),
          },
          { style: 'positive' },
        ),
      ],
    },
  );
}
