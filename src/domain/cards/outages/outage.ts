// The live card of one outage in the support channel: its facts and history, and the buttons to end it,
// edit it, ask for an exclusion, and approve or reject one. Every button carries the outage id and version.
import type { Policy } from '../../policy/schema';
import type { Instant } from '../../sla';
import type { Outage, OutageChange } from '../../outages/model';
import { localParts } from '../../outages/time';
import { OUTAGE_LIMITS } from '../../tickets/fields';
import { showCard } from '../inputs';
import { duration, zoned, type ViewBase } from '../time';
import { card, clip, escape, execute, text, type Action, type AdaptiveCard } from '../types';
import { categoryChoices, dateTimeInputs, outageInput } from './inputs';

export interface OutageView extends ViewBase {
  readonly outage: Outage;
  /** The last history rows, oldest first. */
  readonly history: readonly OutageChange[];
  /** A line at the top, e.g. "Only a manager can approve an exclusion." */
  readonly notice?: string | undefined;
}

const CHANGE_LABELS: Readonly<Record<OutageChange['type'], string>> = {
  recorded: 'Recorded',
  ended: 'Ended',
  edited: 'Edited',
  'exclusion-requested': 'Exclusion requested',
  'exclusion-withdrawn': 'Exclusion withdrawn',
  'exclusion-approved': 'Exclusion approved',
  'exclusion-rejected': 'Exclusion rejected',
};

function exclusionText(policy: Policy, o: Outage, now: Instant): string | undefined {
  const ex = o.exclusion;
  if (ex === null) return undefined;
  const title = `(${ex.category}) ${policy.availability.exclusions[ex.category].title}`;
  switch (ex.status) {
    case 'requested':
      return `${title}: requested by ${escape(ex.requestedBy.name)}, awaiting a manager (counted as down until approved)`;
    case 'approved':
      return `${title}: approved by ${escape(ex.decidedBy?.name ?? 'a manager')} ${ex.decidedAt === undefined ? '' : zoned(policy, ex.decidedAt, now)}`;
    case 'rejected':
      return `${title}: rejected by ${escape(ex.decidedBy?.name ?? 'a manager')}${ex.note === undefined ? '' : ` (${escape(ex.note)})`}`;
  }
}

/** The live card of one outage, with what can be done next. */
export function outageCard(v: OutageView): AdaptiveCard {
  const o = v.outage;
  const p = v.policy;
  const ongoing = o.end === null;
  const data = { outageId: o.id, version: o.version };
  const nowParts = localParts(v.now, p.timeZone);
  const startParts = localParts(o.start, p.timeZone);
  const endParts = o.end === null ? { date: '', time: '' } : localParts(o.end, p.timeZone);
  const ex = o.exclusion;
  const exText = exclusionText(p, o, v.now);
  const facts = [
    { title: 'Start', value: zoned(p, o.start, v.now) },
    {
      title: 'End',
      value: ongoing
        ? `ongoing (${duration(v.now - o.start)} so far)`
        : `${zoned(p, o.end, v.now)} (${duration(o.end - o.start)})`,
    },
    { title: 'Affected', value: escape(o.affected) },
    ...(o.cause === '' ? [] : [{ title: 'Cause', value: escape(o.cause) }]),
    ...(exText === undefined ? [] : [{ title: 'Exclusion', value: exText }]),
    ...(ex === null ? [] : [{ title: 'Justification', value: escape(ex.justification) }]),
    { title: 'Recorded by', value: `${escape(o.createdBy.name)}, ${zoned(p, o.createdAt, v.now)}` },
  ];
  const history = v.history.slice(-5).map((c) =>
    text(
      `**${CHANGE_LABELS[c.type]}** · ${escape(c.actor.name)} · ${zoned(p, c.at, v.now)}: ${escape(clip(c.text, 200))}`,
      {
        size: 'small',
        spacing: 'none',
      },
    ),
  );
  const actions: Action[] = [];
  if (ongoing)
    actions.push(
      showCard(
        'End',
        [dateTimeInputs('end', 'End', nowParts, true)],
        execute('End outage', 'outage.end', data, { style: 'positive' }),
      ),
    );
  actions.push(
    showCard(
      'Edit',
      [
        dateTimeInputs('editStart', 'Start', startParts, true),
        dateTimeInputs('editEnd', 'End', endParts, false),
        outageInput('editAffected', 'What was affected', OUTAGE_LIMITS.affected, o.affected, true, false),
        outageInput('editCause', 'Cause (staff only)', OUTAGE_LIMITS.cause, o.cause, false),
      ],
      execute('Save changes', 'outage.edit', data),
    ),
  );
  if (ex?.status === 'requested') {
    actions.push(execute('Approve exclusion', 'outage.approve', data, { style: 'positive' }));
    actions.push(
      showCard(
        'Reject exclusion',
        [outageInput('note', 'Why not', OUTAGE_LIMITS.note, undefined, true)],
        execute('Reject', 'outage.reject', data, { style: 'destructive' }),
      ),
    );
  } else {
    actions.push(
      showCard(
        ex === null ? 'Ask for exclusion' : 'Change exclusion',
        [
          {
            type: 'Input.ChoiceSet',
            id: 'category',
            label: 'Exclusion',
            style: 'compact',
            isRequired: true,
            errorMessage: 'Pick an exclusion',
            ...(ex === null ? {} : { value: ex.category }),
            choices: categoryChoices(p, false),
          },
          outageInput(
            'justification',
            'Why the exclusion applies',
            OUTAGE_LIMITS.justification,
            undefined,
            true,
          ),
        ],
        execute('Ask a manager', 'outage.exclude', data),
      ),
    );
  }
  actions.push(execute('Refresh', 'outage.refresh', { outageId: o.id }));
  return card(
    [
      ...(v.notice === undefined ? [] : [text(escape(v.notice), { color: 'attention', weight: 'bolder' })]),
      text(
        `${ongoing ? '🔴' : '✅'} ${o.id} · ${escape(p.availability.service)} outage · ${ongoing ? 'Ongoing' : 'Ended'}`,
        {
          weight: 'bolder',
          size: 'medium',
          color: ongoing ? 'attention' : 'good',
        },
      ),
      { type: 'FactSet', facts },
      ...(history.length === 0 ? [] : [text('History', { weight: 'bolder', separator: true }), ...history]),
    ],
    { actions },
  );
}
