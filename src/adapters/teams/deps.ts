// What the Teams projections need: the app's parts that keep a ticket's thread, its customer's chat and the
// managers' channel in step with the ticket.
import type { Config } from '../../config';
import type { CoreParts } from '../../parts';
import type { MessageRefs } from '../storage/messages';
import type { NoticeLog } from '../storage/notices';
import type { ThreadClaims } from '../storage/thread-claims';
import type { Outbound } from './outbound';

export interface TeamsDeps extends CoreParts {
  readonly config: Pick<Config, 'delivery' | 'teamsAppId'>;
  readonly messages: MessageRefs;
  readonly outbound: Outbound;
  /** Customer notices that reached the customer (so a crash-interrupted one can be sent later). */
  readonly notices?: NoticeLog | undefined;
  /** Which instance is starting a ticket's thread (none: this instance alone posts threads). */
  readonly threadClaims?: ThreadClaims | undefined;
}
