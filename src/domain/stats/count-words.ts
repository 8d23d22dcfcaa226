// How many tickets a month's figures count, in words (the dashboard): no imports, so the tab can use it as it is.

const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Tickets counted, and the rounds after a reopen counted with them (their targets count again, in the month of
 * the reopen: docs/sla-rules.md, "Reopening").
 * @example ticketsCounted({ tickets: 5, rounds: 7 }) // '5 tickets and 2 reopens'
 */
export function ticketsCounted(f: { readonly tickets: number; readonly rounds: number }): string {
  const reopens = f.rounds - f.tickets;
  return reopens > 0
    ? `${count(f.tickets, 'ticket')} and ${count(reopens, 'reopen')}`
    : count(f.tickets, 'ticket');
}
