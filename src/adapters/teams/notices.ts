// The managers' channel notices (monthly summary, budget warnings) as cards posted in a new thread.
import { budgetNoticeCard } from '../../domain/cards/outages/status';
import type { BudgetNotice } from '../../domain/outages/notifier';
import type { Policy } from '../../domain/policy/schema';
import type { SupportChannel } from '../storage/settings';
import type { Outbound } from './outbound';

/** Posts an availability notice in a channel: rendered from the policy, summarised for the Teams feed. */
export function budgetNoticePoster(
  outbound: Pick<Outbound, 'startThread'>,
  policy: Policy,
): (channel: SupportChannel, notice: BudgetNotice) => Promise<unknown> {
  return (channel, n) =>
    outbound.startThread(
      channel,
      budgetNoticeCard(policy, n.kind, n.figures, n.now, n.figures.excludedByCategory),
      `${policy.availability.service} availability ${n.month}`,
    );
}
