// Cards the deadline watcher posts in a ticket's thread: a warning (threshold or breach) that @mentions
// who must act and carries the root card's actions, and the in-hours P1 announcement. User text escaped.
import type { Policy } from '../policy/schema';
import type { Instant, TargetName } from '../sla';
import type { Ticket } from '../tickets/model';
import { rootCard, type RootView } from './staff';
import { duration, when } from './time';
import { card, escape, text, type Action, type AdaptiveCard, type Element } from './types';

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
  const dueText = `${when(v.due, v.root.policy.timeZone, v.root.now)} ${zone}`;
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
      : `response due ${when(ticket.sla.responseDue, policy.timeZone, now)} ${policy.timeZoneLabel}`;
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
