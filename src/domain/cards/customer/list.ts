// The tenant's open tickets ("my tickets"), each with its state and next deadline.
import type { Policy } from '../../policy/schema';
import { STATE_LABELS, type ListItem } from '../targets';
import { card, escape, execute, text, type AdaptiveCard } from '../types';
import { due, statusLabel, type Clock } from './common';

/** The tenant's open tickets with their state and next deadline. */
export function myTicketsCard(
  policy: Policy,
  items: readonly ListItem[],
  clock: Clock,
  userId: string,
): AdaptiveCard {
  if (items.length === 0) {
    return card(
      [
        text('You have no open tickets.', { weight: 'bolder' }),
        text('Type **new ticket** or describe a problem to file one.'),
      ],
      {
        actions: [execute('New ticket', 'ticket.new', {}, { style: 'positive' })],
      },
    );
  }
  const shown = items.slice(0, 20);
  return card(
    [
      text(`Open tickets (${items.length})`, { size: 'medium', weight: 'bolder' }),
      ...shown.map(({ ticket: t, next }) => ({
        type: 'ColumnSet' as const,
        separator: true,
        columns: [
          {
            type: 'Column' as const,
            width: 'stretch',
            items: [
              text(`**${t.id}** · ${t.priority} · ${escape(t.title)}`, { maxLines: 2 }),
              text(
                next === null
                  ? statusLabel(t)
                  : `${statusLabel(t)} · ${next.label} ${next.due === null ? 'paused' : `due ${due(policy, next.due, clock)}`} · ${STATE_LABELS[next.state]}`,
                {
                  size: 'small',
                  isSubtle: true,
                  spacing: 'none',
                  color:
                    next?.state === 'breached'
                      ? 'attention'
                      : next?.state === 'at-risk'
                        ? 'warning'
                        : 'default',
                },
              ),
            ],
          },
          {
            type: 'Column' as const,
            width: 'auto',
            items: [
              { type: 'ActionSet' as const, actions: [execute('Open', 'ticket.show', { ticketId: t.id })] },
            ],
          },
        ],
      })),
      ...(items.length > shown.length
        ? [
            text(`…and ${items.length - shown.length} more. Type **status <id>** to open one.`, {
              isSubtle: true,
            }),
          ]
        : []),
    ],
    {
      refresh: {
        action: { type: 'Action.Execute', verb: 'tickets.mine', data: { verb: 'tickets.mine' } },
        userIds: [userId],
      },
    },
  );
}
