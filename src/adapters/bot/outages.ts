// Outages from Teams: staff record, end, edit and ask for exclusions from a card in the support channel;
// managers approve or reject exclusions (anyone else is refused and recorded); everyone asking "is there an
// outage?" gets the service status and this month's availability. A staff manager may choose a managers'
// channel for summaries and budget warnings. Handlers are thin: parse, call the outage service, render.
import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { outageFormCard, type OutageFormValues } from '../../domain/cards/outages/form';
import { outageCard } from '../../domain/cards/outages/outage';
import { serviceStatusCard } from '../../domain/cards/outages/status';
import type { AdaptiveCard, Verb } from '../../domain/cards/types';
import type { OutageCommand } from '../../domain/outages/commands';
import type { CardRef, Outage } from '../../domain/outages/model';
import { OUTAGE_ID, type OutageActed, type OutageChanged } from '../../domain/outages/service';
import type { Listener } from '../../domain/kit/listeners';
import { localInstant, monthOf } from '../../domain/outages/time';
import type { Result } from '../../domain/tickets/errors';
import { OUTAGE_LIMITS, submittedText as text } from '../../domain/tickets/fields';
import type { Actor } from '../../domain/tickets/model';
import { customerOf, notCustomerText, sendCard, type BotDeps } from './deps';
import type { Caller, Staff } from '../../domain/staff/caller';
import { isGone } from '../teams/outbound';
import { callerOf } from './teams';
import { chooseChannel } from './channel';

/** What this feature uses of the app's parts. */
export type OutageBotDeps = Pick<
  BotDeps,
  | 'audit'
  | 'background'
  | 'config'
  | 'contact'
  | 'log'
  | 'now'
  | 'outages'
  | 'outbound'
  | 'policy'
  | 'settings'
  | 'staff'
>;

const SYSTEM: Actor = { id: 'sla-desk', name: 'SLA Desk', role: 'system' };

/** "outage": staff get the record form, customers the status. */
export const OUTAGE_COMMAND =
  /^\s*(?:outage|new outage|record (?:an )?outage|report (?:an )?outage)\s*[.!]?\s*$/i;
/** Questions about the service's state. */
export const STATUS_QUESTION =
  /^\s*(?:is there (?:an? |any )?(?:ongoing |current |known )?outage|are there (?:any )?(?:ongoing |current |known )?outages|any outages?|outages|(?:service |system )?status|availability|is (?:the )?(?:core )?(?:service|system|teammate) (?:up|down|working))(?: (?:now|right now|today|at the moment))?\s*[?.!]*\s*$/i;
const MANAGERS_REGISTER = /^\s*use this channel for managers\s*[.!]?\s*$/i;

/** The inputs of the record form; the live card's End and exclusion forms reuse their ids. */
const recordFields = {
  startDate: text(20),
  startTime: text(20),
  endDate: text(20),
  endTime: text(20),
  affected: text(OUTAGE_LIMITS.affected),
  cause: text(OUTAGE_LIMITS.cause),
  category: text(10),
  justification: text(OUTAGE_LIMITS.justification),
};
const formSchema = z.object({ requestId: z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/), ...recordFields });
const outageRef = z.object({
  outageId: z.string().regex(OUTAGE_ID),
  version: z
    .union([
      z.number().int().positive(),
      z
        .string()
        .regex(/^\d{1,9}$/)
        .transform(Number),
    ])
    .optional(),
});
const changeSchema = outageRef.extend({
  ...recordFields,
  note: text(OUTAGE_LIMITS.note),
  editStartDate: text(20),
  editStartTime: text(20),
  editEndDate: text(20),
  editEndTime: text(20),
  editAffected: text(OUTAGE_LIMITS.affected),
  editCause: text(OUTAGE_LIMITS.cause),
});

const actorOf = (s: Staff): Actor => ({
  id: s.caller.aadObjectId ?? s.caller.userId,
  name: s.name,
  role: s.role,
});

/** The month's availability so far and the ongoing outages: the status card for a caller. */
export async function statusCard(
  deps: OutageBotDeps,
  viewer: { staff: boolean; zone?: string | undefined },
): Promise<AdaptiveCard> {
  const now = deps.now();
  const month = await deps.outages.month(monthOf(now, deps.policy.timeZone), now);
  const ongoing = month.outages.filter((o) => o.end === null);
  return serviceStatusCard({
    policy: deps.policy,
    now,
    ongoing,
    month: month.availability,
    viewerZone: viewer.zone,
    ...(viewer.staff ? { staff: { outages: month.outages } } : {}),
  });
}

async function formCard(
  deps: OutageBotDeps,
  values?: OutageFormValues,
  error?: string,
  requestId?: string,
): Promise<AdaptiveCard> {
  return outageFormCard({
    policy: deps.policy,
    requestId: requestId ?? randomUUID(),
    now: deps.now(),
    values,
    error,
    ongoing: await deps.outages.ongoing(),
  });
}

/** The live card of an outage as it stands, with its last history rows. */
export async function renderOutage(
  deps: OutageBotDeps,
  outage: Outage,
  notice?: string,
): Promise<AdaptiveCard> {
  const history = await deps.outages.history(outage.id);
  return outageCard({
    policy: deps.policy,
    outage: history.ok ? history.value.outage : outage,
    history: history.ok ? history.value.changes.slice(-5) : [],
    now: deps.now(),
    notice,
  });
}

async function refused(
  context: TurnContext,
  deps: OutageBotDeps,
  action: string,
  reason: string,
  target?: string,
): Promise<void> {
  const caller = callerOf(context.activity);
  await deps.audit.record({
    at: deps.now(),
    action,
    outcome: 'refused',
    reason,
    tenantId: caller?.tenantId,
    userId: caller?.aadObjectId ?? caller?.userId,
    target,
  });
  deps.log.warn('refused an outage action', { action, reason, tenant: caller?.tenantId });
}

/** Where the card that was pressed lives, so later changes update it in place. */
function pressedCard(context: TurnContext): CardRef | undefined {
  const a = context.activity;
  const id = a.replyToId;
  if (typeof id !== 'string' || id === '' || typeof a.serviceUrl !== 'string') return undefined;
  return { conversationId: a.conversation.id, activityId: id, serviceUrl: a.serviceUrl };
}

/**
 * After a change: the other copies of the outage's card are updated in place, and an exclusion asked for is
 * posted in the managers' channel (the support channel when none was chosen). Runs after the answer.
 */
export function onOutageChanged(deps: OutageBotDeps): Listener<OutageChanged> {
  return (changed) => {
    // Linking a card is this projection's own bookkeeping: nothing to show.
    if (changed.cause !== 'link-card') syncOutage(deps, changed, changed.pressed);
    return Promise.resolve();
  };
}

function syncOutage(deps: OutageBotDeps, acted: OutageActed, pressed?: CardRef): void {
  deps.background.run(`outage:${acted.outage.id}`, `syncing ${acted.outage.id}`, async () => {
    const latest = await deps.outages.get(acted.outage.id);
    const outage = latest.ok ? latest.value : acted.outage;
    const card = await renderOutage(deps, outage);
    const summary = `${outage.id}: ${outage.affected}`.slice(0, 200);
    for (const ref of [outage.card, outage.approvalCard]) {
      if (ref === undefined || ref.activityId === pressed?.activityId) continue;
      try {
        await deps.outbound.updateCard(ref, card, summary);
      } catch (err) {
        if (!isGone(err)) throw err;
      }
    }
    const asked = acted.changes.some((c) => c.type === 'exclusion-requested');
    if (!asked) return;
    const channel = (await deps.settings.managersChannel()) ?? (await deps.settings.supportChannel());
    if (channel === null) return;
    // Already in that channel (recorded there, or posted there for an earlier request): it was updated above.
    const here = (ref: CardRef | undefined): boolean =>
      ref?.conversationId.split(';')[0] === channel.conversationId;
    if (here(outage.card) || here(outage.approvalCard)) return;
    const thread = await deps.outbound.startThread(channel, card, `${outage.id}: exclusion to approve`);
    await deps.outages.act(outage.id, SYSTEM, {
      kind: 'link-card',
      slot: 'approvalCard',
      card: {
        conversationId: thread.conversationId,
        activityId: thread.activityId,
        serviceUrl: thread.serviceUrl,
      },
    });
  });
}

/** Date and time inputs to an instant; both empty = none (null); one of the two = an error. */
function when(
  deps: OutageBotDeps,
  date: string | undefined,
  time: string | undefined,
  field: 'start' | 'end',
): Result<number | null> {
  const d = (date ?? '').trim();
  const t = (time ?? '').trim();
  if (d === '' && t === '') return { ok: true, value: null };
  if (d === '' || t === '') {
    const label = field === 'start' ? 'start' : 'end';
    return localInstant(d === '' ? '-' : d, t === '' ? '-' : t, deps.policy.timeZone, label);
  }
  return localInstant(d, t, deps.policy.timeZone, field);
}

async function record(
  context: TurnContext,
  deps: OutageBotDeps,
  staff: Staff,
  data: unknown,
): Promise<AdaptiveCard | string> {
  const parsed = formSchema.safeParse(data);
  if (!parsed.success) return 'This form is not valid any more; say "outage" for a fresh one.';
  const v = parsed.data;
  const values: OutageFormValues = v;
  const again = (error: string) => formCard(deps, values, error, v.requestId);
  const start = when(deps, v.startDate, v.startTime, 'start');
  if (!start.ok) return again(start.error.message);
  if (start.value === null) return again('The start is required.');
  const end = when(deps, v.endDate, v.endTime, 'end');
  if (!end.ok) return again(end.error.message);
  const category = (v.category ?? '').trim().replace(/^none$/, '');
  const pressed = pressedCard(context);
  const recorded = await deps.outages.record(
    actorOf(staff),
    {
      start: start.value,
      end: end.value,
      affected: v.affected ?? '',
      cause: v.cause ?? '',
      ...(category === '' ? {} : { exclusion: { category, justification: v.justification ?? '' } }),
      card: pressed,
    },
    { actionId: `record:${v.requestId}`, pressed },
  );
  if (!recorded.ok) return again(recorded.error.message);
  const outage = recorded.value.outage;
  deps.log.info('outage recorded', { id: outage.id, by: staff.caller.aadObjectId ?? staff.caller.userId });
  return renderOutage(deps, outage);
}

/** The command a verb asks for, from the card's inputs. */
function commandOf(deps: OutageBotDeps, verb: Verb, d: z.infer<typeof changeSchema>): Result<OutageCommand> {
  switch (verb) {
    case 'outage.end': {
      const end = when(deps, d.endDate, d.endTime, 'end');
      if (!end.ok) return end;
      return { ok: true, value: { kind: 'end', at: end.value ?? deps.now() } };
    }
    case 'outage.edit': {
      const start = when(deps, d.editStartDate, d.editStartTime, 'start');
      if (!start.ok) return start;
      const end = when(deps, d.editEndDate, d.editEndTime, 'end');
      if (!end.ok) return end;
      return {
        ok: true,
        value: {
          kind: 'edit',
          ...(start.value === null ? {} : { start: start.value }),
          end: end.value,
          ...(d.editAffected === undefined ? {} : { affected: d.editAffected }),
          ...(d.editCause === undefined ? {} : { cause: d.editCause }),
        },
      };
    }
    case 'outage.exclude':
      return {
        ok: true,
        value: {
          kind: 'request-exclusion',
          category: d.category ?? '',
          justification: d.justification ?? '',
        },
      };
    case 'outage.withdraw':
      return { ok: true, value: { kind: 'withdraw-exclusion' } };
    case 'outage.approve':
      return { ok: true, value: { kind: 'approve-exclusion', note: d.note } };
    default:
      return { ok: true, value: { kind: 'reject-exclusion', note: d.note } };
  }
}

async function change(
  context: TurnContext,
  deps: OutageBotDeps,
  staff: Staff,
  verb: Verb,
  data: unknown,
): Promise<AdaptiveCard | string> {
  const parsed = changeSchema.safeParse(data);
  if (!parsed.success) return 'This card is not valid any more; refresh it.';
  const id = parsed.data.outageId;
  const current = await deps.outages.get(id);
  if (!current.ok) return current.error.message;
  const cmd = commandOf(deps, verb, parsed.data);
  if (!cmd.ok) return renderOutage(deps, current.value, cmd.error.message);
  const deciding = verb === 'outage.approve' || verb === 'outage.reject';
  const acted = await deps.outages.act(id, actorOf(staff), cmd.value, {
    actionId: context.activity.id,
    // A manager decides on what they saw: if the outage changed since, they look again.
    expectedVersion: deciding ? parsed.data.version : undefined,
    pressed: pressedCard(context),
  });
  if (!acted.ok) {
    if (acted.error.code === 'NOT_ALLOWED') await refused(context, deps, verb, acted.error.message, id);
    const latest = await deps.outages.get(id);
    return renderOutage(deps, latest.ok ? latest.value : current.value, acted.error.message);
  }
  return renderOutage(deps, acted.value.outage);
}

async function registerManagers(
  context: TurnContext,
  deps: OutageBotDeps,
  caller: Caller | undefined,
): Promise<void> {
  const staff = await deps.staff.resolve(caller);
  if (caller === undefined || staff?.role !== 'manager') {
    await refused(
      context,
      deps,
      'channel.managers',
      staff === undefined ? 'not support staff' : 'not a manager',
    );
    await context.sendActivity('Only a support manager can choose the managers’ channel.');
    return;
  }
  await chooseChannel(
    context,
    deps,
    { caller, name: staff.name },
    'managers',
    'the managers’ channel: monthly availability summaries, error-budget warnings and exclusions to approve will be posted here',
  );
}

const CHANGE_VERBS: readonly Verb[] = [
  'outage.end',
  'outage.edit',
  'outage.exclude',
  'outage.withdraw',
  'outage.approve',
  'outage.reject',
];

export function register(app: Application, deps: OutageBotDeps): void {
  app.message(MANAGERS_REGISTER, async (context) => {
    if (context.activity.conversation.conversationType !== 'channel') {
      await context.sendActivity('Say this in the Teams channel that should become the managers’ channel.');
      return;
    }
    await registerManagers(context, deps, callerOf(context.activity));
  });
  const answer = async (context: TurnContext, form: boolean): Promise<void> => {
    const caller = callerOf(context.activity);
    const staff = await deps.staff.resolve(caller);
    if (staff !== undefined) {
      await sendCard(context, form ? await formCard(deps) : await statusCard(deps, { staff: true }));
      return;
    }
    const customer = customerOf(context, deps);
    if (customer === undefined) {
      await context.sendActivity(notCustomerText(deps.contact));
      return;
    }
    await sendCard(context, await statusCard(deps, { staff: false, zone: customer.caller.zone }));
  };
  app.message(OUTAGE_COMMAND, (context) => answer(context, true));
  app.message(STATUS_QUESTION, (context) => answer(context, false));

  app.adaptiveCards.actionExecute('outage.status', async (context) => {
    const caller = callerOf(context.activity);
    if ((await deps.staff.resolve(caller)) !== undefined) return statusCard(deps, { staff: true });
    const customer = customerOf(context, deps);
    if (customer === undefined) return notCustomerText(deps.contact);
    return statusCard(deps, { staff: false, zone: customer.caller.zone });
  });
  const staffOnly =
    (
      verb: Verb,
      work: (context: TurnContext, staff: Staff, data: unknown) => Promise<AdaptiveCard | string>,
    ) =>
    async (context: TurnContext, _state: unknown, data: unknown): Promise<AdaptiveCard | string> => {
      const staff = await deps.staff.resolve(callerOf(context.activity));
      if (staff === undefined) {
        const target = outageRef.safeParse(data);
        await refused(
          context,
          deps,
          verb,
          'not support staff',
          target.success ? target.data.outageId : undefined,
        );
        return 'Only support staff can do that.';
      }
      return work(context, staff, data);
    };
  app.adaptiveCards.actionExecute(
    'outage.new',
    staffOnly('outage.new', () => formCard(deps)),
  );
  app.adaptiveCards.actionExecute(
    'outage.record',
    staffOnly('outage.record', (context, staff, data) => record(context, deps, staff, data)),
  );
  app.adaptiveCards.actionExecute(
    'outage.refresh',
    staffOnly('outage.refresh', async (_context, _staff, data) => {
      const ref = outageRef.safeParse(data);
      if (!ref.success) return 'This card is not valid any more.';
      const got = await deps.outages.get(ref.data.outageId);
      return got.ok ? renderOutage(deps, got.value) : got.error.message;
    }),
  );
  for (const verb of CHANGE_VERBS)
    app.adaptiveCards.actionExecute(
      verb,
      staffOnly(verb, (context, staff, data) => change(context, deps, staff, verb, data)),
    );
}
