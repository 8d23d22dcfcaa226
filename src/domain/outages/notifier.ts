// The periodic job behind the managers' channel: at each tick it works out which notices are due and sends
// each once across every instance: a marker row is claimed (create, or ETag-conditional takeover of a dead
// claim) before sending and marked sent after. A failed send lets go of the claim so a later tick retries.
import type { Logger } from '../../log';
import type { Policy } from '../policy/schema';
import type { Calendar, Instant, MonthAvailability } from '../sla';
import { messageOf } from '../kit/errors';
import { dueNotices, type DueNotice } from './notices';
import type { NoticeMarks } from './ports';
import type { OutageService } from './service';
import { monthOf, previousMonth } from './time';

/** A claim not confirmed within this long is taken to be from an instance that died while sending. */
export const CLAIM_LEASE_MS = 10 * 60_000;

/** A notice due to the managers: which one, for which month, with the month's figures at `now`. */
export interface BudgetNotice {
  readonly kind: DueNotice['kind'];
  readonly month: string;
  readonly figures: MonthAvailability;
  readonly now: Instant;
}

/** Where managers read: the chosen managers' channel, else the support channel (`C`: how a channel is named). */
export interface ManagerChannels<C> {
  managersChannel(): Promise<C | null>;
  supportChannel(): Promise<C | null>;
}

export interface NotifierDeps<C> {
  readonly policy: Policy;
  readonly calendar: Calendar;
  readonly outages: OutageService;
  readonly marks: NoticeMarks;
  readonly settings: ManagerChannels<C>;
  /** Posts a notice as a new message in a channel (the adapter renders it). */
  readonly post: (channel: C, notice: BudgetNotice) => Promise<unknown>;
  readonly log: Logger;
  /** This instance's name in claims. */
  readonly owner: string;
}

export class OutageNotifier<C> {
  constructor(private readonly deps: NotifierDeps<C>) {}

  /** The managers' channel, or the support channel when none was chosen. */
  private async channel(): Promise<C | null> {
    return (await this.deps.settings.managersChannel()) ?? (await this.deps.settings.supportChannel());
  }

  /** Sends what is due at `now`; returns the keys this instance sent. */
  async tick(now: Instant): Promise<string[]> {
    const { policy } = this.deps;
    const month = monthOf(now, policy.timeZone);
    const [current, previous] = await Promise.all([
      this.deps.outages.month(month, now),
      this.deps.outages.month(previousMonth(month), now),
    ]);
    const due = dueNotices(
      this.deps.calendar,
      policy.timeZone,
      now,
      current.availability,
      previous.availability,
    );
    const sent: string[] = [];
    for (const notice of due) {
      if (await this.send(notice, notice.month === month ? current.availability : previous.availability, now))
        sent.push(notice.key);
    }
    return sent;
  }

  private async send(notice: DueNotice, figures: MonthAvailability, now: Instant): Promise<boolean> {
    const { marks, owner } = this.deps;
    if ((await marks.state(notice.key)) === 'sent') return false;
    const channel = await this.channel();
    if (channel === null) return false;
    if (!(await marks.claim(notice.key, owner, now, CLAIM_LEASE_MS))) return false;
    try {
      await this.deps.post(channel, { kind: notice.kind, month: notice.month, figures, now });
    } catch (err) {
      await marks.release(notice.key, owner);
      this.deps.log.error('availability notice failed', {
        key: notice.key,
        error: messageOf(err),
      });
      return false;
    }
    await marks.done(notice.key, owner, now);
    for (const key of notice.covers) await marks.done(key, owner, now);
    this.deps.log.info('availability notice sent', { key: notice.key });
    return true;
  }
}
