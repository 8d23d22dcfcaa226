// The form an engineer records an outage with: start and end in the policy's zone, what was affected, the
// cause, and an exclusion to ask for. What was typed is kept when the form comes back with an error.
import type { Outage } from '../../outages/model';
import { localParts } from '../../outages/time';
import { OUTAGE_LIMITS } from '../../tickets/fields';
import { zoned, type ViewBase } from '../time';
import { card, escape, execute, text, type AdaptiveCard } from '../types';
import { categoryChoices, dateTimeInputs, outageInput } from './inputs';

type OutageFormField =
  'startDate' | 'startTime' | 'endDate' | 'endTime' | 'affected' | 'cause' | 'category' | 'justification';

/** What was typed into the record form, kept when the form comes back with an error. */
export type OutageFormValues = Partial<Readonly<Record<OutageFormField, string | undefined>>>;

export interface OutageFormView extends ViewBase {
  readonly requestId: string;
  readonly values?: OutageFormValues | undefined;
  readonly error?: string | undefined;
  /** Outages still ongoing, so nobody records the same one twice. */
  readonly ongoing?: readonly Outage[] | undefined;
}

/** The form an engineer records an outage with (times in the policy's zone). */
export function outageFormCard(v: OutageFormView): AdaptiveCard {
  const nowParts = localParts(v.now, v.policy.timeZone);
  const values = v.values ?? {};
  const ongoing = v.ongoing ?? [];
  return card(
    [
      text(`Record a ${escape(v.policy.availability.service)} outage`, { weight: 'bolder', size: 'medium' }),
      text(
        `Times in ${v.policy.timeZoneLabel} (${v.policy.timeZone}). Leave the end empty while it is ongoing.`,
        {
          isSubtle: true,
          spacing: 'none',
        },
      ),
      ...(ongoing.length === 0
        ? []
        : [
            text(
              `Ongoing now: ${ongoing.map((o) => `${o.id} (${escape(o.affected.slice(0, 60))}, since ${zoned(v.policy, o.start, v.now)})`).join('; ')}`,
              { color: 'warning', size: 'small' },
            ),
          ]),
      ...(v.error === undefined ? [] : [text(escape(v.error), { color: 'attention', weight: 'bolder' })]),
      dateTimeInputs(
        'start',
        'Start',
        { date: values.startDate ?? nowParts.date, time: values.startTime ?? nowParts.time },
        true,
      ),
      dateTimeInputs('end', 'End', { date: values.endDate ?? '', time: values.endTime ?? '' }, false),
      outageInput('affected', 'What was affected', OUTAGE_LIMITS.affected, values.affected, true, false),
      outageInput('cause', 'Cause (staff only)', OUTAGE_LIMITS.cause, values.cause, false),
      {
        type: 'Input.ChoiceSet',
        id: 'category',
        label: 'Exclusion (needs a manager’s approval; until then the minutes count as down)',
        style: 'compact',
        value: values.category === undefined || values.category === '' ? 'none' : values.category,
        choices: categoryChoices(v.policy, true),
      },
      outageInput(
        'justification',
        'Why the exclusion applies',
        OUTAGE_LIMITS.justification,
        values.justification,
        false,
      ),
    ],
    {
      actions: [execute('Record outage', 'outage.record', { requestId: v.requestId }, { style: 'positive' })],
    },
  );
}
