// Cards the deadline watcher posts in a ticket's thread: a warning (threshold or breach) that @mentions
// who must act and carries the root card's actions, and the in-hours P1 announcement. User text escaped.
import type { Policy } from '../policy/schema';
import type { Instant, TargetName } from '../sla';
import type { Ticket } from '../tickets/model';
import { rootCard, type RootView } from './staff';
import { duration, deadline, type ViewBase } from './time';
import { card, escape, execute, text, type Action, type AdaptiveCard, type Element } from './types';

export interface Mentioned {
  readonly id: string;
  readonly name: string;
}

export interface WarningView {
  readonly root: RootView;
  readonly target: TargetName;
  /** 50, 75, 90; 100 = breach. */
  readonly percent: number;
  /** The target's deadline (null while paused, which the watcher does not warn about). */
  readonly due: Instant;
  /** Budget left on the target's clock, ms. */
  readonly businessLeftMs: number;
  /** Who is @mentioned: the owner, else the on-call engineer; nobody when neither is known. */
  readonly who: Mentioned | undefined;
  /** "owner" or "on call". */
  readonly whoRole: 'owner' | 'on call';
}

const LABEL: Readonly<Record<TargetName, string>> = { response: 'response', workaround: 'work-around' };

function mentionOf(who: Mentioned | undefined): {
  tag: string;
  entities: NonNullable<AdaptiveCard['msteams']>['entities'];
} {
  if (who === undefined) return { tag: '', entities: [] };
  const tag = `<at>${escape(who.name)}</at>`;
  return { tag, entities: [{ type: 'mention', text: tag, mentioned: { id: who.id, name: who.name } }] };
}

/** The root card's action rows: its primary ActionSet element and its card-level actions. */
function rootActions(view: RootView): { set: Element | undefined; actions: readonly Action[] } {
  const root = rootCard(view);
  return { set: root.body.find((e) => e.type === 'ActionSet'), actions: root.actions ?? [] };
}

/**
 * A warning in the ticket's thread.
 * @example warningCard({ root, target: 'response', percent: 75, due, businessLeftMs: 900_000, who: bob, whoRole: 'owner' })
 *   // "⚠️ TM-1042 · 75 % of the response time used" · "<at>Bob</at> (owner): response due Wed 11:00 ET, 15 min left."
 */
export function warningCard(v: WarningView): AdaptiveCard {
  const t = v.root.ticket;
  const zone = v.root.policy.timeZoneLabel;
  const dueText = `${deadline(v.due, v.root.policy.timeZone, v.root.now)} ${zone}`;
  const breach = v.percent >= 100;
  const { tag, entities } = mentionOf(v.who);
  const whom = tag === '' ? 'Nobody owns this ticket and nobody is on call' : `${tag} (${v.whoRole})`;
  const title = breach
    ? `⛔ ${t.id} · ${LABEL[v.target]} target breached`
    : `⚠️ ${t.id} · ${v.percent} % of the ${LABEL[v.target]} time used`;
  const detail = breach
    ? `${whom}: the ${LABEL[v.target]} was due ${dueText}.`
    : `${whom}: ${LABEL[v.target]} due ${dueText}, ${duration(v.businessLeftMs)} left on the ${t.priority} clock.`;
  const { set, actions } = rootActions(v.root);
  return card(
    [
      text(title, { weight: 'bolder', size: 'medium', color: breach ? 'attention' : 'warning' }),
      text(`${t.priority} · ${escape(t.customerName)} · ${escape(t.title)}`, {
        isSubtle: true,
        spacing: 'none',
      }),
      text(detail),
      ...(set === undefined ? [] : [set]),
    ],
    {
      actions,
      msteams: { width: 'Full', ...(entities === undefined || entities.length === 0 ? {} : { entities }) },
      fallbackText: title,
    },
  );
}

/** A P1 inside support hours: announced at once to the configured P1 responders. */
export function announceCard(
  policy: Policy,
  ticket: Ticket,
  responders: readonly Mentioned[],
  now: Instant,
): AdaptiveCard {
  const tags = responders.map((r) => `<at>${escape(r.name)}</at>`);
  const due =
    ticket.sla.responseDue === null
      ? 'the response clock is paused'
      : `response due ${deadline(ticket.sla.responseDue, policy.timeZone, now)} ${policy.timeZoneLabel}`;
  return card(
    [
      text(`🚨 ${ticket.id} · ${ticket.priority}: ${escape(policy.priorities[ticket.priority].name)}`, {
        weight: 'bolder',
        size: 'medium',
        color: 'attention',
      }),
      text(
        `${tags.length > 0 ? `${tags.join(', ')}: ` : ''}${escape(ticket.customerName)} reports "${escape(ticket.title)}"; ${due}.`,
      ),
    ],
    {
      ...(tags.length === 0
        ? {}
        : {
            msteams: {
              entities: responders.map((r, i) => ({
                type: 'mention' as const,
                text: tags[i] ?? '',
                mentioned: { id: r.id, name: r.name },
              })),
            },
          }),
      fallbackText: `${ticket.id} ${ticket.priority}`,
    },
  );
}

/** Mentions of several people: the tags to put in text and the entities Teams needs to notify them. */
function mentionsOf(people: readonly Mentioned[]): {
  tags: string[];
  entities: NonNullable<NonNullable<AdaptiveCard['msteams']>['entities']>;
} {
  const tags = people.map((p) => `<at>${escape(p.name)}</at>`);
  return {
    tags,
    entities: people.map((p, i) => ({ type: 'mention' as const, text: tags[i] ?? '', mentioned: p })),
  };
}

/**
 * A page's 1:1 chat message failed: said in the ticket's thread, with the person @mentioned there.
 * @example chatFailedCard(ticket, alice, 'SLA Desk is not installed for them', false)
 *   // "Could not reach <at>Alice</at> in chat: SLA Desk is not installed for them."
 */
export function chatFailedCard(
  ticket: Ticket,
  who: Mentioned,
  reason: string,
  retrying: boolean,
  next: string,
): AdaptiveCard {
  const { tags, entities } = mentionsOf([who]);
  const first = retrying
    ? `Could not reach ${tags[0] ?? ''} in chat yet: ${escape(reason)}. Trying again.`
    : `Could not reach ${tags[0] ?? ''} in chat: ${escape(reason)}.`;
  return card([text(first, { color: 'warning', weight: 'bolder' }), text(escape(next), { isSubtle: true })], {
    msteams: { entities },
    fallbackText: `${ticket.id}: could not reach ${who.name} in chat`,
  });
}

export interface AlarmView extends ViewBase {
  readonly ticket: Ticket;
  /** Who could not be reached, and why ("nobody is on call as secondary", "SLA Desk is not installed…"). */
  readonly missed: readonly string[];
  /** Who was reached in chat so far for this page. */
  readonly reached: readonly string[];
  /** The managers and P1 responders, @mentioned. */
  readonly alarmed: readonly Mentioned[];
  /** Where it is posted: the ticket's thread, or a post of its own in the managers' or the support channel. */
  readonly where: 'thread' | 'managers' | 'support';
  /** The chain's last step reached nobody either. */
  readonly final: boolean;
  /** Why it needs nobody any more (acknowledged, resolved): said on the card, which loses its button. */
  readonly settled?: string | undefined;
}

/**
 * Nobody could be paged for a P1 (an empty slot, or everybody unreachable): a loud card that @mentions the
 * managers and P1 responders, with an Acknowledge button, for the ticket's thread and the managers' channel.
 */
export function alarmCard(v: AlarmView): AdaptiveCard {
  const t = v.ticket;
  const { tags, entities } = mentionsOf(v.alarmed);
  const due =
    t.sla.responseDue === null
      ? 'the response clock is paused'
      : `the response is due ${deadline(t.sla.responseDue, v.policy.timeZone, v.now)} ${v.policy.timeZoneLabel}`;
  const ask =
    tags.length === 0
      ? 'No support manager or P1 responder is configured: anyone who reads this, please take this ticket now.'
      : `${tags.join(', ')}: please take this ticket now or page someone by phone.`;
  return card(
    [
      text(
        `🚨 ${t.id} · ${t.priority}: ${v.final ? 'nobody in the on-call chain has been reached' : 'nobody has been reached'}`,
        {
          weight: 'bolder',
          size: 'large',
          color: 'attention',
        },
      ),
      text(`${escape(t.customerName)} reports "${escape(t.title)}"; ${due}.`, { wrap: true }),
      ...v.missed.map((m) => text(`Not reached: ${escape(m)}`, { color: 'attention', spacing: 'small' })),
      ...(v.reached.length === 0
        ? []
        : [text(`Reached in chat: ${v.reached.map(escape).join(', ')}`, { spacing: 'small' })]),
      v.settled === undefined
        ? text(ask, { weight: 'bolder' })
        : text(escape(v.settled), { color: 'good', weight: 'bolder' }),
      ...(v.where === 'thread'
        ? []
        : [
            text(
              `${t.id}'s thread, with its card and buttons, is in ${v.where === 'support' ? 'this channel' : 'the support channel'}.`,
              { isSubtle: true },
            ),
          ]),
    ],
    {
      actions:
        v.settled === undefined
          ? [execute('Acknowledge', 'page.ack', { ticketId: t.id }, { style: 'positive' })]
          : [],
      msteams: { width: 'Full', ...(entities.length === 0 ? {} : { entities }) },
      fallbackText: `${t.id} ${t.priority}: nobody has been reached`,
    },
  );
}

/** A delivery that keeps failing, once in the managers' channel: what failed, since when, what to do. */
export function stuckCard(lines: readonly string[], title: string): AdaptiveCard {
  return card(
    [text(title, { weight: 'bolder', color: 'warning' }), ...lines.map((l) => text(l, { spacing: 'small' }))],
    { fallbackText: title },
  );
}
