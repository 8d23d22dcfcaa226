// Engineers' buttons on a ticket's root card (Action.Execute verbs). Each is answered at once with the
// refreshed card; delivery to the customer and the thread notes continue after the answer. A customer
// (or anyone not on the staff list) pressing one is refused and recorded.
import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { AdaptiveCard } from '../../domain/cards/types';
import type { Command } from '../../domain/tickets/commands';
import { parsePriority } from '../../domain/tickets/fields';
import type { Actor } from '../../domain/tickets/model';
import { renderRoot } from '../../domain/cards/root';
import type { BotDeps } from './deps';
import type { Staff } from '../../domain/staff/caller';
import { callerOf } from './teams';
import type { Verb } from '../../domain/cards/types';

/** What this feature uses of the app's parts. */
export type StaffActionDeps = Pick<
  BotDeps,
  'audit' | 'engine' | 'log' | 'now' | 'policy' | 'staff' | 'tickets'
>;

const ID = /^[A-Za-z]{1,8}-\d{1,10}$/;
const base = z.object({ ticketId: z.string().regex(ID) });

type Parsed =
  | { readonly ok: true; readonly id: string; readonly cmd: Command }
  | { readonly ok: false; readonly error: string };

function parse(verb: Verb, data: unknown, deps: StaffActionDeps): Parsed {
  const b = base.safeParse(data);
  if (!b.success) return { ok: false, error: 'This card is not valid any more; refresh it.' };
  const id = b.data.ticketId.toUpperCase();
  const d = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const str = (k: string): string => {
    const v = d[k];
    return typeof v === 'string' ? v : '';
  };
  /** The text input of this verb's form (`replyText`, `askText`, …), or a plain `message`. */
  const text = str(`${verb.slice('staff.'.length)}Text`) || str('message');
  switch (verb) {
    case 'staff.take':
      return { ok: true, id, cmd: { kind: 'take' } };
    case 'staff.assign': {
      const owner = str('owner').toLowerCase();
      const name = deps.staff.nameOf(owner);
      if (name === undefined) return { ok: false, error: 'Pick an engineer from the list.' };
      return { ok: true, id, cmd: { kind: 'assign', to: { id: owner, name } } };
    }
    case 'staff.reply':
      return { ok: true, id, cmd: { kind: 'reply', text } };
    case 'staff.ask':
      return { ok: true, id, cmd: { kind: 'ask', text } };
    case 'staff.workaround':
      return { ok: true, id, cmd: { kind: 'workaround', text } };
    case 'staff.priority': {
      const p = parsePriority(str('priority'));
      if (!p.ok) return { ok: false, error: 'Pick P1, P2 or P3.' };
      return { ok: true, id, cmd: { kind: 'change-priority', to: p.value, reason: str('reason') } };
    }
    case 'staff.fix':
      return { ok: true, id, cmd: { kind: 'fix', release: str('release'), text } };
    case 'staff.resolve':
      return { ok: true, id, cmd: { kind: 'resolve', text } };
    case 'staff.reopen':
      return { ok: true, id, cmd: { kind: 'reopen', reason: str('reason') } };
    case 'staff.note':
      return { ok: true, id, cmd: { kind: 'note', text } };
    default:
      return { ok: false, error: 'Unknown action.' };
  }
}

async function refused(
  context: TurnContext,
  deps: StaffActionDeps,
  verb: string,
  data: unknown,
): Promise<string> {
  const caller = callerOf(context.activity);
  const target =
    typeof data === 'object' && data !== null ? (data as Record<string, unknown>)['ticketId'] : undefined;
  await deps.audit.record({
    at: deps.now(),
    action: verb,
    outcome: 'refused',
    reason: 'not support staff',
    tenantId: caller?.tenantId,
    userId: caller?.aadObjectId ?? caller?.userId,
    target: typeof target === 'string' ? target : undefined,
  });
  deps.log.warn('refused a staff action', { verb, tenant: caller?.tenantId });
  return 'Only support staff can do that.';
}

async function perform(
  context: TurnContext,
  deps: StaffActionDeps,
  staff: Staff,
  verb: Verb,
  data: unknown,
): Promise<AdaptiveCard | string> {
  const parsed = parse(verb, data, deps);
  if (!parsed.ok) return parsed.error;
  const actor: Actor = {
    id: staff.caller.aadObjectId ?? staff.caller.userId,
    name: staff.name,
    role: staff.role,
  };
  const acted = await deps.tickets.act({ kind: 'staff' }, parsed.id, actor, parsed.cmd, {
    actionId: context.activity.id,
  });
  if (!acted.ok) {
    const current = await deps.tickets.get({ kind: 'staff' }, parsed.id);
    if (!current.ok) return acted.error.message;
    return renderRoot(deps, current.value, acted.error.message);
  }
  return renderRoot(deps, acted.value.ticket);
}

const VERBS: readonly Verb[] = [
  'staff.take',
  'staff.assign',
  'staff.reply',
  'staff.ask',
  'staff.priority',
  'staff.workaround',
  'staff.fix',
  'staff.resolve',
  'staff.reopen',
  'staff.note',
];

export function register(app: Application, deps: StaffActionDeps): void {
  for (const verb of VERBS) {
    app.adaptiveCards.actionExecute(verb, async (context, _state, data) => {
      const staff = await deps.staff.resolve(callerOf(context.activity));
      if (staff === undefined) return refused(context, deps, verb, data);
      return perform(context, deps, staff, verb, data);
    });
  }
  app.adaptiveCards.actionExecute('staff.refresh', async (context, _state, data) => {
    const staff = await deps.staff.resolve(callerOf(context.activity));
    if (staff === undefined) return refused(context, deps, 'staff.refresh', data);
    const b = base.safeParse(data);
    if (!b.success) return 'This card is not valid any more.';
    const current = await deps.tickets.get({ kind: 'staff' }, b.data.ticketId.toUpperCase());
    return current.ok ? renderRoot(deps, current.value) : current.error.message;
  });
}
