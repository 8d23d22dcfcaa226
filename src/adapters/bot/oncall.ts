// On call, from the support channel (or a staff member's 1:1 chat): "who is on call?", overrides such as
// "on-call: @Bob until Friday 18:00" (stored in Table Storage, shared by every instance), and
// "stuck deliveries" (outbox entries that keep failing; they are retried, never dropped). Staff only.
import type { Application } from '@microsoft/teams-ai';
import { TeamsInfo, type TurnContext } from 'botbuilder';
import { when } from '../../domain/cards/time';
import { escape } from '../../domain/cards/types';
import type { OverrideStore } from '../../domain/oncall/overrides';
import { onCallWith, parseUntil, type Duty, type OnCallRole } from '../../domain/oncall/schedule';
import type { Watcher } from '../../watcher/watcher';
import type { BotDeps } from './deps';
import type { Staff } from '../../domain/staff/caller';
import { callerOf } from './teams';

/** What this feature uses of the app's parts. */
export type OnCallBotDeps = Pick<BotDeps, 'audit' | 'config' | 'log' | 'now' | 'policy' | 'staff'>;

export interface OnCallDeps {
  readonly overrides: OverrideStore;
  readonly watcher: Watcher;
}

const WHO = /^\s*who(?:'s|\s+is)\s+on[- ]?call\s*\??\s*$/i;
const SET = /^\s*on[- ]?call(?:\s+(primary|secondary))?\s*:\s*([\s\S]*)$/i;
const STUCK = /^\s*(?:stuck deliveries|outbox)\s*\??\s*$/i;

async function staffOnly(
  context: TurnContext,
  deps: OnCallBotDeps,
  action: string,
): Promise<Staff | undefined> {
  const caller = callerOf(context.activity);
  const staff = await deps.staff.resolve(caller);
  if (staff === undefined) {
    await deps.audit.record({
      at: deps.now(),
      action,
      outcome: 'refused',
      reason: 'not support staff',
      tenantId: caller?.tenantId,
      userId: caller?.aadObjectId ?? caller?.userId,
    });
    await context.sendActivity('Only support staff can do that.');
  }
  return staff;
}

function nameOf(deps: OnCallBotDeps, id: string): string {
  return (
    deps.config.staff.engineers.get(id) ?? deps.config.staff.managers.get(id) ?? deps.staff.nameOf(id) ?? id
  );
}

function zoned(deps: OnCallBotDeps, t: number): string {
  return `${when(t, deps.policy.timeZone, deps.now())} ${deps.policy.timeZoneLabel}`;
}

function dutyLine(deps: OnCallBotDeps, label: string, duty: Duty | undefined): string {
  if (duty === undefined) return `${label}: nobody`;
  const who = escape(nameOf(deps, duty.id));
  if (duty.source === 'override' && duty.until !== undefined)
    return `${label}: ${who} (override until ${zoned(deps, duty.until)}, set by ${escape(duty.setBy ?? '')})`;
  return `${label}: ${who} (rotation)`;
}

async function whoIsOnCall(context: TurnContext, deps: OnCallBotDeps, o: OnCallDeps): Promise<void> {
  if ((await staffOnly(context, deps, 'oncall.who')) === undefined) return;
  const now = deps.now();
  const duty = onCallWith(deps.config.rotation, await o.overrides.list(now), now, deps.policy.timeZone);
  const manager = deps.config.oncall.manager;
  const lines = [
    `On call now (${zoned(deps, now)}):`,
    dutyLine(deps, 'Primary', duty.primary),
    dutyLine(deps, 'Secondary', duty.secondary),
    `Support manager: ${manager === undefined ? 'nobody' : escape(nameOf(deps, manager))}`,
  ];
  if (deps.config.rotation === undefined) lines.push('No weekly rotation is configured (ONCALL_ROTATION).');
  await context.sendActivity(lines.join('\n\n'));
}

/** The staff member a mention names: the Teams member's Entra id, else a unique staff name. */
async function mentioned(
  context: TurnContext,
  deps: OnCallBotDeps,
): Promise<{ id: string; name: string } | string> {
  const botId = context.activity.recipient.id;
  const mentions = (context.activity.entities ?? []).filter(
    (e) => e.type === 'mention' && (e['mentioned'] as { id?: string } | undefined)?.id !== botId,
  );
  if (mentions.length !== 1) return 'Mention exactly one person, like "on-call: @Bob until Friday 18:00".';
  const m = mentions[0]?.['mentioned'] as { id?: unknown; name?: unknown } | undefined;
  const teamsId = typeof m?.id === 'string' ? m.id : '';
  const shown = typeof m?.name === 'string' ? m.name : '';
  let aad: string | undefined;
  try {
    aad = (await TeamsInfo.getMember(context, teamsId)).aadObjectId?.toLowerCase();
  } catch {
    aad = undefined;
  }
  const all = [...deps.config.staff.engineers, ...deps.config.staff.managers];
  if (aad !== undefined) {
    const hit = all.find(([id]) => id === aad);
    if (hit !== undefined) return { id: hit[0], name: hit[1] };
  }
  const byName = all.filter(([, name]) => name.toLowerCase() === shown.trim().toLowerCase());
  if (byName.length === 1 && byName[0] !== undefined) return { id: byName[0][0], name: byName[0][1] };
  return `${escape(shown || 'That person')} is not on the support staff list, so they cannot be on call.`;
}

async function setOverride(
  context: TurnContext,
  deps: OnCallBotDeps,
  o: OnCallDeps,
  role: OnCallRole,
  rest: string,
): Promise<void> {
  const staff = await staffOnly(context, deps, 'oncall.override');
  if (staff === undefined) return;
  const m = /\buntil\b\s*([\s\S]*)$/i.exec(rest);
  if (m === null) {
    await context.sendActivity(
      'Say until when, like "on-call: @Bob until Friday 18:00". Nothing was changed.',
    );
    return;
  }
  const now = deps.now();
  const until = parseUntil((m[1] ?? '').slice(0, 100), now, deps.policy.timeZone, deps.policy.timeZoneLabel);
  if (!until.ok) {
    await context.sendActivity(`${until.error} Nothing was changed.`);
    return;
  }
  const who = await mentioned(context, deps);
  if (typeof who === 'string') {
    await context.sendActivity(`${who} Nothing was changed.`);
    return;
  }
  await o.overrides.add({
    role,
    id: who.id,
    name: who.name,
    from: now,
    until: until.at,
    setBy: staff.name,
    setAt: now,
  });
  deps.log.info('on-call override set', {
    role,
    id: who.id,
    until: until.at,
    by: staff.caller.aadObjectId ?? staff.caller.userId,
  });
  await context.sendActivity(
    `${escape(who.name)} is the ${role} on call until ${zoned(deps, until.at)} (set by ${escape(staff.name)}).`,
  );
}

async function stuck(context: TurnContext, deps: OnCallBotDeps, o: OnCallDeps): Promise<void> {
  if ((await staffOnly(context, deps, 'outbox.stuck')) === undefined) return;
  const rows = await o.watcher.pendingDeliveries();
  const limit = deps.config.watcher.stuckAttempts;
  const bad = rows.filter((r) => r.attempts >= limit);
  const waiting = rows.length - bad.length;
  if (bad.length === 0) {
    await context.sendActivity(
      `No stuck deliveries. ${waiting} message${waiting === 1 ? '' : 's'} waiting to go out.`,
    );
    return;
  }
  const lines = bad
    .slice(0, 20)
    .map(
      (r) =>
        `- ${r.lane} ${escape(r.key)}: ${r.attempts} attempts, next try ${zoned(deps, r.readyAt)}; last error: ${escape(r.lastError.slice(0, 120))}`,
    );
  await context.sendActivity(
    [
      `${bad.length} stuck deliver${bad.length === 1 ? 'y' : 'ies'} (still retried, never dropped):`,
      ...lines,
      ...(bad.length > 20 ? [`… and ${bad.length - 20} more`] : []),
    ].join('\n\n'),
  );
}

export function registerOnCall(app: Application, deps: OnCallBotDeps, o: OnCallDeps): void {
  app.message(WHO, async (context) => {
    await whoIsOnCall(context, deps, o);
  });
  app.message(STUCK, async (context) => {
    await stuck(context, deps, o);
  });
  app.message(SET, async (context) => {
    const m = SET.exec(typeof context.activity.text === 'string' ? context.activity.text : '');
    const role = (m?.[1]?.toLowerCase() ?? 'primary') as OnCallRole;
    await setOverride(context, deps, o, role, m?.[2] ?? '');
  });
}
