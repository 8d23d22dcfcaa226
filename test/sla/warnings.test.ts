// Warnings (SLA-RULES.md, "Warnings and escalation"): 50/75/90 % and breach; P1 at any hour; a P2/P3
// warning that fires outside support hours is posted at the next opening, keeping only the highest.
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { SlaEngine, type Notice } from '../../src/domain/sla';
import type { Priority, TargetName } from '../../src/domain/sla/types';
import { aPolicy, aTicket, et, etText, type TicketSpec } from '../fixtures';

const sla = new SlaEngine(DEFAULT_POLICY);

/** A notice as one readable line: "75% fired Mon 2026-11-30 03:40 EST, posted Mon 2026-11-30 04:00 EST". */
const line = (n: Notice): string =>
  `${n.percent}% fired ${etText(n.firesAt) ?? ''}, posted ${etText(n.deliverAt) ?? ''}`;

function notices(spec: TicketSpec, target: TargetName = 'response', engine = sla): string[] {
  return engine.notices(engine.evaluate(aTicket(spec)), target).map(line);
}

describe('notices', () => {
  it.each<{ story: string; spec: TicketSpec; target?: TargetName; posted: string[] }>([
    {
      story:
        'a P2 arrives Fri 23:10: 50 % (Mon 02:10) and 75 % (Mon 03:40) are held to Monday 04:00, only 75 % is posted',
      spec: { priority: 'P2', at: 'Fri 2026-11-27 23:10' },
      posted: [
        '75% fired Mon 2026-11-30 03:40 EST, posted Mon 2026-11-30 04:00 EST',
        '90% fired Mon 2026-11-30 04:34 EST, posted Mon 2026-11-30 04:34 EST',
        '100% fired Mon 2026-11-30 05:10 EST, posted Mon 2026-11-30 05:10 EST',
      ],
    },
    {
      story: 'a P2 arrives Fri 22:30: 50, 75 and 90 % all fire before Monday 04:00, only 90 % is posted',
      spec: { priority: 'P2', at: 'Fri 2026-11-27 22:30' },
      posted: [
        '90% fired Mon 2026-11-30 03:54 EST, posted Mon 2026-11-30 04:00 EST',
        '100% fired Mon 2026-11-30 04:30 EST, posted Mon 2026-11-30 04:30 EST',
      ],
    },
    {
      story: 'a P1 arrives Sat 03:00: every P1 warning is posted at once, at any hour',
      spec: { priority: 'P1', at: 'Sat 2026-11-28 03:00' },
      posted: [
        '50% fired Sat 2026-11-28 04:00 EST, posted Sat 2026-11-28 04:00 EST',
        '75% fired Sat 2026-11-28 04:30 EST, posted Sat 2026-11-28 04:30 EST',
        '90% fired Sat 2026-11-28 04:48 EST, posted Sat 2026-11-28 04:48 EST',
        '100% fired Sat 2026-11-28 05:00 EST, posted Sat 2026-11-28 05:00 EST',
      ],
    },
    {
      story:
        'a P2 arrives Wed 21:00: 50 % is reached exactly at 22:00 (closing), so it waits for Thursday 04:00',
      spec: { priority: 'P2', at: 'Wed 2026-11-25 21:00' },
      posted: [
        '50% fired Wed 2026-11-25 22:00 EST, posted Thu 2026-11-26 04:00 EST',
        '75% fired Thu 2026-11-26 04:30 EST, posted Thu 2026-11-26 04:30 EST',
        '90% fired Thu 2026-11-26 04:48 EST, posted Thu 2026-11-26 04:48 EST',
        '100% fired Thu 2026-11-26 05:00 EST, posted Thu 2026-11-26 05:00 EST',
      ],
    },
    {
      story: 'a P2 arrives Wed 20:00: the breach comes exactly at 22:00 and is posted Thursday 04:00',
      spec: { priority: 'P2', at: 'Wed 2026-11-25 20:00' },
      posted: [
        '50% fired Wed 2026-11-25 21:00 EST, posted Wed 2026-11-25 21:00 EST',
        '75% fired Wed 2026-11-25 21:30 EST, posted Wed 2026-11-25 21:30 EST',
        '90% fired Wed 2026-11-25 21:48 EST, posted Wed 2026-11-25 21:48 EST',
        '100% fired Wed 2026-11-25 22:00 EST, posted Thu 2026-11-26 04:00 EST',
      ],
    },
    {
      story: 'a P2 arrives Mon 01:00: 50 % is reached exactly at 04:00 (opening) and posted at once',
      spec: { priority: 'P2', at: 'Mon 2026-11-30 01:00' },
      posted: [
        '50% fired Mon 2026-11-30 04:00 EST, posted Mon 2026-11-30 04:00 EST',
        '75% fired Mon 2026-11-30 05:30 EST, posted Mon 2026-11-30 05:30 EST',
        '90% fired Mon 2026-11-30 06:24 EST, posted Mon 2026-11-30 06:24 EST',
        '100% fired Mon 2026-11-30 07:00 EST, posted Mon 2026-11-30 07:00 EST',
      ],
    },
    {
      story:
        'a P3 arrives Sat 10:00: its work-around warnings at midnight wait for 04:00, Saturday ones for Monday',
      spec: { priority: 'P3', at: 'Sat 2026-11-28 10:00' },
      target: 'workaround',
      posted: [
        '50% fired Sat 2026-12-05 00:00 EST, posted Mon 2026-12-07 04:00 EST',
        '75% fired Wed 2026-12-09 12:00 EST, posted Wed 2026-12-09 12:00 EST',
        '90% fired Fri 2026-12-11 00:00 EST, posted Fri 2026-12-11 04:00 EST',
        '100% fired Sat 2026-12-12 00:00 EST, posted Mon 2026-12-14 04:00 EST',
      ],
    },
    {
      story: 'a P1 lowered to P2 on Saturday: the P2 rule (next opening) applies',
      spec: { priority: 'P1', at: 'Sat 2026-11-28 03:00', changes: [['Sat 2026-11-28 03:30', 'P2']] },
      posted: [
        '50% fired Mon 2026-11-30 03:00 EST, posted Mon 2026-11-30 04:00 EST',
        '75% fired Mon 2026-11-30 04:30 EST, posted Mon 2026-11-30 04:30 EST',
        '90% fired Mon 2026-11-30 05:24 EST, posted Mon 2026-11-30 05:24 EST',
        '100% fired Mon 2026-11-30 06:00 EST, posted Mon 2026-11-30 06:00 EST',
      ],
    },
    {
      story: 'a P2 raised to P1 on Saturday 10:00: the P1 rule (at once) applies',
      spec: { priority: 'P2', at: 'Fri 2026-11-27 23:10', changes: [['Sat 2026-11-28 10:00', 'P1']] },
      posted: [
        '50% fired Sat 2026-11-28 11:00 EST, posted Sat 2026-11-28 11:00 EST',
        '75% fired Sat 2026-11-28 11:30 EST, posted Sat 2026-11-28 11:30 EST',
        '90% fired Sat 2026-11-28 11:48 EST, posted Sat 2026-11-28 11:48 EST',
        '100% fired Sat 2026-11-28 12:00 EST, posted Sat 2026-11-28 12:00 EST',
      ],
    },
    {
      story: 'a P1 waits on the customer from 10:40: only the 50 % warning (10:30) is due',
      spec: { priority: 'P1', at: 'Wed 2026-11-25 10:00', waits: [['Wed 2026-11-25 10:40', null]] },
      posted: ['50% fired Wed 2026-11-25 10:30 EST, posted Wed 2026-11-25 10:30 EST'],
    },
    {
      story: 'the reply was sent: nothing is posted',
      spec: { priority: 'P1', at: 'Wed 2026-11-25 10:00', met: { response: 'Wed 2026-11-25 10:10' } },
      posted: [],
    },
  ])('when $story', ({ spec, target, posted }) => {
    expect(notices(spec, target)).toEqual(posted);
  });

  it('a warning held over a holiday is posted at the opening after it', () => {
    const engine = new SlaEngine(DEFAULT_POLICY, ['2026-11-26']);
    expect(notices({ priority: 'P2', at: 'Wed 2026-11-25 21:00' }, 'response', engine)).toEqual([
      '50% fired Wed 2026-11-25 22:00 EST, posted Fri 2026-11-27 04:00 EST',
      '75% fired Fri 2026-11-27 04:30 EST, posted Fri 2026-11-27 04:30 EST',
      '90% fired Fri 2026-11-27 04:48 EST, posted Fri 2026-11-27 04:48 EST',
      '100% fired Fri 2026-11-27 05:00 EST, posted Fri 2026-11-27 05:00 EST',
    ]);
  });

  it('a policy that posts P2 warnings at once posts them when they fire', () => {
    const engine = new SlaEngine(aPolicy({ 'warnings.offHoursDelivery.P2': 'immediate' }));
    expect(notices({ priority: 'P2', at: 'Fri 2026-11-27 23:10' }, 'response', engine)).toEqual([
      '50% fired Mon 2026-11-30 02:10 EST, posted Mon 2026-11-30 02:10 EST',
      '75% fired Mon 2026-11-30 03:40 EST, posted Mon 2026-11-30 03:40 EST',
      '90% fired Mon 2026-11-30 04:34 EST, posted Mon 2026-11-30 04:34 EST',
      '100% fired Mon 2026-11-30 05:10 EST, posted Mon 2026-11-30 05:10 EST',
    ]);
  });

  it('a policy with other thresholds warns at those', () => {
    const engine = new SlaEngine(aPolicy({ 'warnings.thresholds': [25, 80] }));
    expect(notices({ priority: 'P1', at: 'Wed 2026-11-25 10:00' }, 'response', engine)).toEqual([
      '25% fired Wed 2026-11-25 10:15 EST, posted Wed 2026-11-25 10:15 EST',
      '80% fired Wed 2026-11-25 10:48 EST, posted Wed 2026-11-25 10:48 EST',
      '100% fired Wed 2026-11-25 11:00 EST, posted Wed 2026-11-25 11:00 EST',
    ]);
  });
});

describe('delivery time', () => {
  it.each<[Priority, string, string]>([
    ['P2', 'Mon 2026-11-30 02:10', 'Mon 2026-11-30 04:00 EST'],
    ['P3', 'Fri 2026-11-27 22:00', 'Mon 2026-11-30 04:00 EST'],
    ['P3', 'Fri 2026-11-27 21:59', 'Fri 2026-11-27 21:59 EST'],
    ['P2', 'Wed 2026-11-25 04:00', 'Wed 2026-11-25 04:00 EST'],
    ['P2', 'Wed 2026-11-25 03:59', 'Wed 2026-11-25 04:00 EST'],
    ['P2', 'Sat 2026-03-07 23:00', 'Mon 2026-03-09 04:00 EDT'],
    ['P1', 'Sat 2026-11-28 03:00', 'Sat 2026-11-28 03:00 EST'],
  ])('a %s warning firing %s is posted %s', (priority, fires, posted) => {
    expect(etText(sla.deliveryTime(priority, et(fires)))).toBe(posted);
  });
});
