// What the SLA report calls time spent waiting on the customer (contract exclusion e), by who reads it: "you"
// to the customer, "the customer" to staff. No imports: the tab bundles this file.

/** Who a report speaks to. */
export type Reader = 'staff' | 'customer';

const WHO: Readonly<Record<Reader, string>> = { customer: 'you', staff: 'the customer' };

/**
 * The figure's short name.
 * @example waitingLabel('staff') // 'Waiting on the customer'
 */
export function waitingLabel(reader: Reader): string {
  return `Waiting on ${WHO[reader]}`;
}

/**
 * The section heading, exclusion named without nested brackets.
 * @example waitingHeading('customer') // 'Time waiting on you (exclusion e)'
 */
export function waitingHeading(reader: Reader): string {
  return `Time waiting on ${WHO[reader]} (exclusion e)`;
}

/**
 * The section when no ticket waited.
 * @example noWaitText('staff') // 'No ticket waited on the customer this month.'
 */
export function noWaitText(reader: Reader): string {
  return `No ticket waited on ${WHO[reader]} this month.`;
}
