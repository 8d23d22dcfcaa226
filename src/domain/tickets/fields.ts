// What people type: the limits of every form field (tickets and outages), how typed text is cleaned, and the
// checks of a ticket's fields. Cards size their inputs from here; the bot, the API and the commands check with it.
import { z } from 'zod';
import { PRIORITIES, type Priority } from '../sla';
import { fail, invalidInput, ok, type DomainError, type Result } from './errors';
import { LIMITS } from './limits';
import { CATEGORIES, type Category } from './model';

export { LIMITS };

/** Bounds on what people type about an outage; longer text is refused, never cut. */
export const OUTAGE_LIMITS = { affected: 500, cause: 2000, justification: 1000, note: 500 } as const;

/** The most users or accounts a ticket can say are affected. */
export const AFFECTED_USERS_MAX = 10_000_000;

/**
 * A submitted text (a card's input, an API body's field): room for four times the field's limit, so that a
 * long text reaches the check that names its length instead of failing to parse.
 */
export const textField = (max: number) => z.string().max(max * 4);

/** A card's text input, which Teams leaves out when it is empty. */
export const submittedText = (max: number) => textField(max).optional();

// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * Typed text as it is stored: CRLF and CR become LF, control characters other than tab and newline go, and
 * the ends are trimmed.
 * @example plainText(' a\r\nb\u0007 ') // 'a\nb'
 */
export function plainText(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(CONTROL, '').trim();
}

/**
 * Characters that change how text around them reads without showing themselves: bidirectional embeddings,
 * overrides and isolates (U+202A–U+202E, U+2066–U+2069), zero-width spaces and joiners (U+200B–U+200D),
 * the word joiner and invisible operators (U+2060–U+2064) and the byte-order mark (U+FEFF).
 */
const INVISIBLE = /[\u200b-\u200d\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * A single-line field as it is stored (titles, names, releases, callback numbers): `plainText`, without
 * invisible characters, every run of white space (newlines too) one space.
 * @example oneLineText('Calls\u202e drop\n today') // 'Calls drop today'
 */
export function oneLineText(value: string): string {
  return plainText(value).replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/** Why typed text is refused. */
type TextFault =
  { readonly kind: 'required' | 'not-text' } | { readonly kind: 'too-long'; readonly length: number };

function checkText(
  value: unknown,
  max: number,
  optional: boolean,
  line = false,
): { readonly ok: true; readonly text: string } | { readonly ok: false; readonly fault: TextFault } {
  if (value === undefined || value === null || value === '')
    return optional ? { ok: true, text: '' } : { ok: false, fault: { kind: 'required' } };
  if (typeof value !== 'string') return { ok: false, fault: { kind: 'not-text' } };
  const text = line ? oneLineText(value) : plainText(value);
  if (text.length === 0 && !optional) return { ok: false, fault: { kind: 'required' } };
  if (text.length > max) return { ok: false, fault: { kind: 'too-long', length: text.length } };
  return { ok: true, text };
}

function faultMessage(fault: TextFault, field: string, max: number): string {
  switch (fault.kind) {
    case 'required':
      return `${label(field)} is required.`;
    case 'not-text':
      return `${label(field)} must be text.`;
    case 'too-long':
      return `${label(field)} is ${fault.length.toLocaleString('en-US')} characters; the limit is ${max.toLocaleString('en-US')}.`;
  }
}

function label(field: string): string {
  return (
    field.charAt(0).toUpperCase() +
    field
      .slice(1)
      .replace(/([A-Z])/g, ' $1')
      .toLowerCase()
  );
}

/**
 * Checks free text: cleaned (`plainText`), not empty, not over the limit.
 * @example cleanText('  hello ', 'message', 8000) // ok('hello')
 */
export function cleanText(value: unknown, field: string, max: number, optional = false): Result<string> {
  const checked = checkText(value, max, optional);
  return checked.ok ? ok(checked.text) : fail(invalidInput(faultMessage(checked.fault, field, max), field));
}

/**
 * Checks a single-line field: cleaned (`oneLineText`), not empty, not over the limit.
 * @example cleanLine('2.14.4\u200b-hotfix1', 'release', 100) // ok('2.14.4-hotfix1')
 */
export function cleanLine(value: unknown, field: string, max: number, optional = false): Result<string> {
  const checked = checkText(value, max, optional, true);
  return checked.ok ? ok(checked.text) : fail(invalidInput(faultMessage(checked.fault, field, max), field));
}

export function isPriority(value: unknown): value is Priority {
  return typeof value === 'string' && (PRIORITIES as readonly string[]).includes(value);
}

/**
 * A priority as a person chose it: P1, P2 or P3.
 * @example parsePriority('P4') // fail: 'Priority must be P1, P2 or P3.' (field 'priority')
 */
export function parsePriority(value: unknown): Result<Priority> {
  return isPriority(value) ? ok(value) : fail(invalidInput('Priority must be P1, P2 or P3.', 'priority'));
}

/** One field's problem: the domain's sentence, and the shorter text a form shows beside the field. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
  readonly hint: string;
}

/** A ticket's fields as a customer typed them: a form's inputs (numbers may come as text), or a filing. */
export interface TicketForm {
  readonly title?: string | undefined;
  readonly description?: string | undefined;
  readonly category?: string | undefined;
  readonly priority?: string | undefined;
  readonly affectedUsers?: string | number | undefined;
  readonly callbackNumber?: string | undefined;
}

/** The same fields, checked and cleaned. */
export interface TicketFields {
  readonly title: string;
  readonly description: string;
  readonly category: Category;
  readonly priority: Priority;
  readonly affectedUsers: number | undefined;
  readonly callbackNumber: string | undefined;
}

export type FieldsChecked<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly FieldError[] };

/** The first problem, as the error the domain returns. */
export function firstError(errors: readonly FieldError[]): DomainError {
  const first = errors[0];
  return invalidInput(first?.message ?? 'The ticket is not valid.', first?.field);
}

const CALLBACK = /^[+\d][\d\s().\-x]*$/i;

/**
 * Checks every field of a new ticket at once and reports each problem, in the order of the form.
 * @example checkTicketFields({ title: '', description: 'x', category: 'outage', priority: 'P9' })
 *   // errors: title ('Title is required.', hint 'A short title is required.'), priority ('…', hint 'Pick a priority.')
 */
export function checkTicketFields(input: TicketForm): FieldsChecked<TicketFields> {
  const errors: FieldError[] = [];
  /** A required field has the hint for an empty one; an optional one shows the domain's sentences. */
  const text = (
    field: 'title' | 'description' | 'callbackNumber',
    max: number,
    required?: string,
  ): string => {
    const checked = checkText(input[field], max, required === undefined, field !== 'description');
    if (checked.ok) return checked.text;
    const message = faultMessage(checked.fault, field, max);
    const hint =
      required === undefined || checked.fault.kind === 'not-text'
        ? message
        : checked.fault.kind === 'required'
          ? required
          : `At most ${max.toLocaleString('en-US')} characters.`;
    errors.push({ field, message, hint });
    return '';
  };
  const title = text('title', LIMITS.title, 'A short title is required.');
  const description = text('description', LIMITS.description, 'Please describe the problem.');
  const category = input.category;
  if (!isCategory(category))
    errors.push({
      field: 'category',
      message: `Category "${String(category)}" is not one we know.`,
      hint: 'Pick a category.',
    });
  const priority = parsePriority(input.priority);
  if (!priority.ok)
    errors.push({ field: 'priority', message: priority.error.message, hint: 'Pick a priority.' });
  const affected = affectedUsers(input.affectedUsers);
  if (affected === null) {
    const range = `whole number from 0 to ${AFFECTED_USERS_MAX.toLocaleString('en-US')}.`;
    errors.push({ field: 'affectedUsers', message: `Affected users must be a ${range}`, hint: `A ${range}` });
  }
  const callback = text('callbackNumber', LIMITS.callback);
  if (callback !== '' && !CALLBACK.test(callback)) {
    const message = 'Callback number may contain digits, spaces, +, -, (, ) and x only.';
    errors.push({ field: 'callbackNumber', message, hint: message });
  }
  if (errors.length > 0 || !isCategory(category) || !priority.ok || affected === null)
    return { ok: false, errors };
  return {
    ok: true,
    value: {
      title,
      description,
      category,
      priority: priority.value,
      affectedUsers: affected,
      callbackNumber: callback === '' ? undefined : callback,
    },
  };
}

function isCategory(value: unknown): value is Category {
  return (CATEGORIES as readonly unknown[]).includes(value);
}

/** Undefined when none was given, null when it is not a whole number in range. */
function affectedUsers(value: unknown): number | undefined | null {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= AFFECTED_USERS_MAX ? n : null;
}
