// "report" (or "sla report 2026-10"): a customer's monthly SLA report in their chat. Only their own tenant's
// tickets are read. Staff are pointed to the tab, where they pick the customer.
import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { customerReportCard } from '../../domain/cards/reports';
import type { AdaptiveCard } from '../../domain/cards/types';
import { monthOf, parseMonth, previousMonth } from '../../domain/outages/time';
import { gatherCustomerReport } from '../../domain/reports/gather';
import { customerOf, notCustomerText, sendCard, type BotDeps, type Customer } from './deps';
import { callerOf, messageText } from './teams';

/** What this feature uses of the app's parts. */
export type ReportDeps = Pick<
  BotDeps,
  | 'config'
  | 'contact'
  | 'engine'
  | 'log'
  | 'now'
  | 'outages'
  | 'policy'
  | 'satisfaction'
  | 'staff'
  | 'tickets'
>;

export const REPORT_COMMAND =
  /^\s*(?:my |our )?(?:sla |monthly )?report(?:\s+(?:for\s+)?(\d{4}-\d{2}))?\s*[.!?]?\s*$/i;

/** The report card of one month for a customer. */
export async function reportFor(deps: ReportDeps, customer: Customer, month: string): Promise<AdaptiveCard> {
  const report = await gatherCustomerReport(
    deps,
    month,
    customer.caller.tenantId,
    customer.customerName,
    deps.now(),
  );
  return customerReportCard(report, previousMonth(month));
}

async function answer(
  context: TurnContext,
  deps: ReportDeps,
  asked: string | undefined,
): Promise<AdaptiveCard | string> {
  if ((await deps.staff.resolve(callerOf(context.activity))) !== undefined)
    return 'Customers’ SLA reports are in the SLA Desk tab (Reports), where you pick the customer; "outages" shows this month’s availability.';
  const customer = customerOf(context, deps);
  if (customer === undefined) return notCustomerText(deps.contact);
  const current = monthOf(deps.now(), deps.policy.timeZone);
  const month = asked === undefined ? current : parseMonth(asked);
  if (month === null) return 'Name the month like 2026-11.';
  if (month > current) return `There is no report for ${month} yet.`;
  return reportFor(deps, customer, month);
}

export function register(app: Application, deps: ReportDeps): void {
  app.message(REPORT_COMMAND, async (context) => {
    const asked = REPORT_COMMAND.exec(messageText(context))?.[1];
    const out = await answer(context, deps, asked);
    if (typeof out === 'string') await context.sendActivity(out);
    else await sendCard(context, out);
  });
  app.adaptiveCards.actionExecute('report.show', async (context, _state, data) => {
    const parsed = z.object({ month: z.string().max(10) }).safeParse(data);
    return answer(context, deps, parsed.success ? parsed.data.month : 'bad');
  });
}
