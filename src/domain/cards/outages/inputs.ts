// The inputs the outage cards share: date and time pickers in the policy's zone, text boxes sized to the
// outage limits, and the exclusion categories to choose from.
import type { Policy } from '../../policy/schema';
import { EXCLUSION_CATEGORIES } from '../../policy/schema';
import { textInput } from '../inputs';
import type { Element } from '../types';

/** The exclusion categories of the policy, with "No exclusion" first when `none`. */
export function categoryChoices(policy: Policy, none: boolean): { title: string; value: string }[] {
  return [
    ...(none ? [{ title: 'No exclusion', value: 'none' }] : []),
    ...EXCLUSION_CATEGORIES.map((c) => ({
      title: `(${c}) ${policy.availability.exclusions[c].title}`,
      value: c,
    })),
  ];
}

/** A date and a time picker side by side (`<prefix>Date`, `<prefix>Time`); empty values are left unset. */
export function dateTimeInputs(
  prefix: 'start' | 'end' | 'editStart' | 'editEnd',
  label: string,
  v: { date?: string; time?: string },
  required: boolean,
): Element {
  const picker = (part: 'date' | 'time', value: string | undefined) => ({
    type: 'Column' as const,
    width: 'stretch',
    items: [
      {
        type: part === 'date' ? ('Input.Date' as const) : ('Input.Time' as const),
        id: `${prefix}${part === 'date' ? 'Date' : 'Time'}`,
        label: `${label} ${part}`,
        ...(value === undefined || value === '' ? {} : { value }),
        ...(required ? { isRequired: true, errorMessage: `${label} ${part} is required` } : {}),
      },
    ],
  });
  return { type: 'ColumnSet', columns: [picker('date', v.date), picker('time', v.time)] };
}

/** A text box of several lines unless `multiline` is false; a longer value than `max` is cut to fit it. */
export function outageInput(
  id: string,
  label: string,
  max: number,
  value: string | undefined,
  required: boolean,
  multiline = true,
): Element {
  return textInput(id, label, max, {
    multiline,
    ...(value === undefined ? {} : { value: value.slice(0, max) }),
    ...(required ? { required: `${label} is required` } : {}),
  });
}
