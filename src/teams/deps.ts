// What the Teams projections need: the app's parts that keep a ticket's thread, its customer's chat and the
// managers' channel in step with the ticket.
import type { Background } from '../background';
import type { RootDeps } from '../cards/root';
import type { Config } from '../config';
import type { Logger } from '../log';
import type { Policy } from '../policy/schema';
import type { Instant, SlaEngine } from '../sla';
import type { MessageRefs } from '../storage/messages';
import type { NoticeLog } from '../storage/notices';
import type { Settings } from '../storage/settings';
import type { ThreadClaims } from '../storage/thread-claims';
import type { TicketService } from '../tickets/service';
import type { Outbound } from './outbound';

export interface TeamsDeps extends RootDeps {
  readonly config: Pick<Config, 'delivery'>;
  readonly policy: Policy;
  readonly engine: SlaEngine;
  readonly tickets: TicketService;
  readonly log: Logger;
  now(): Instant;
  readonly settings: Settings;
  readonly messages: MessageRefs;
  readonly outbound: Outbound;
  readonly background: Background;
  /** Customer notices that reached the customer (so a crash-interrupted one can be sent later). */
  readonly notices?: NoticeLog | undefined;
  /** Which instance is starting a ticket's thread (none: this instance alone posts threads). */
  readonly threadClaims?: ThreadClaims | undefined;
}
