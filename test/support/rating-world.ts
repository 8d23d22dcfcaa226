// The customer's chat and the support channel around rating cards, over real HTTP with the fake Bot Connector and
// a real Azurite: Megan Bowen (Contoso) files, an engineer acts, and the cards each side received are read back.
import type { App } from '../../src/app';
import type { Ticket } from '../../src/domain/tickets/model';
import { aFiling, CONTOSO, FABRIKAM } from '../fixtures/filing';
import { actionExecute, post } from './activities';
import { supportChannel, type TestClock } from './app';
import { startWithConnector } from './authed';
import { cardProblems, cardsOf, cardText } from './cards';
import type { FakeConnector } from './connector';

export const ENGINEER = {
  id: 'eeeeeeee-0000-4000-8000-000000000001',
  name: 'Eddie Engineer',
  role: 'engineer' as const,
};

/** The customer who files and rates, as a Teams activity names her. */
export const megan = {
  tenantId: CONTOSO,
  userId: '29:megan',
  userName: 'Megan Bowen',
  timezone: 'America/New_York',
};

/** The Submit button's data of a rating card. */
export function submitData(card: Record<string, unknown>): Record<string, string | number> {
  const actions = card['actions'] as { verb?: string; data?: Record<string, string | number> }[];
  const submit = actions.find((a) => a.verb === 'ticket.rate');
  if (submit?.data === undefined) throw new Error('no Submit on the rating card');
  return submit.data;
}

/** One app with Contoso and Fabrikam as customers and a support channel; every card seen is checked at stop. */
export class RatingWorld {
  connector!: FakeConnector;
  app!: App;
  readonly clock: TestClock;
  readonly seenCards: unknown[] = [];
  private close: () => Promise<void> = () => Promise.resolve();
  private chats = 0;

  constructor(
    private readonly channel: string,
    start: number,
  ) {
    this.clock = { now: start };
  }

  async start(): Promise<void> {
    ({
      connector: this.connector,
      app: this.app,
      stop: this.close,
    } = await startWithConnector({
      clock: this.clock,
      env: { CUSTOMER_TENANTS: `${CONTOSO}=Contoso;${FABRIKAM}=Fabrikam` },
    }));
    await this.app.deps.settings.setSupportChannel(
      supportChannel(this.channel, this.connector.serviceUrl, this.clock.now),
    );
  }

  async stop(): Promise<void> {
    await this.close();
    for (const card of this.seenCards) expect(cardProblems(card)).toEqual([]);
  }

  /** A ticket Megan filed, in a chat of its own. */
  filed = async (title: string): Promise<{ ticket: Ticket; chat: string }> => {
    const chat = `a:megan-chat-${++this.chats}`;
    const made = await this.app.tickets.file(
      aFiling({
        title,
        requester: { id: 'aad-megan', name: 'Megan Bowen', timeZone: 'America/New_York' },
        customerChat: { conversationId: chat, serviceUrl: this.connector.serviceUrl, userId: '29:megan' },
      }),
    );
    if (!made.ok) throw made.error;
    await this.app.background.drain();
    return { ticket: made.value.ticket, chat };
  };

  /** The engineer acts a minute on, and what follows the answer is done. */
  staff = async (id: string, cmd: Parameters<App['tickets']['act']>[3]): Promise<Ticket> => {
    this.clock.now += 60_000;
    const acted = await this.app.tickets.act({ kind: 'staff' }, id, ENGINEER, cmd, {});
    if (!acted.ok) throw acted.error;
    await this.app.background.drain();
    return acted.value.ticket;
  };

  stored = async (id: string): Promise<Ticket> => {
    const got = await this.app.tickets.get({ kind: 'staff' }, id);
    if (!got.ok) throw got.error;
    return got.value;
  };

  /** The cards the customer's chat received, as text. */
  inChat = (chat: string): string[] =>
    this.connector
      .sent()
      .filter((r) => r.conversationId === chat)
      .map((r) => {
        const card = cardsOf(r.activity)[0];
        this.seenCards.push(card);
        return cardText(card);
      });

  /** The rating cards the chat received, as sent. */
  ratingCards = (chat: string): Record<string, unknown>[] =>
    this.connector
      .sent()
      .filter((r) => r.conversationId === chat)
      .map((r) => cardsOf(r.activity)[0] as Record<string, unknown>)
      .filter((c) => cardText(c).includes('How did we do on'));

  /** A rating card's Submit pressed by `who` (Megan unless said), with the card or message it answered. */
  press = async (data: Record<string, string | number>, who: Record<string, string> = megan) => {
    const res = await post(
      `${this.app.url}/api/messages`,
      actionExecute(
        'ticket.rate',
        { verb: 'ticket.rate', ...data },
        { ...who, serviceUrl: this.connector.serviceUrl, replyToId: '1:rating' },
      ),
    );
    await this.app.background.drain();
    const body = res.body as { type?: string; value?: unknown } | undefined;
    if (body?.type === 'application/vnd.microsoft.card.adaptive') {
      this.seenCards.push(body.value);
      return { card: body.value as Record<string, unknown>, text: cardText(body.value), message: undefined };
    }
    return {
      card: undefined,
      text: '',
      message: typeof body?.value === 'string' ? body.value : JSON.stringify(body?.value),
    };
  };

  /** What was posted in a ticket's thread, as text. */
  inThread = (t: Ticket): string[] => {
    const root = t.thread?.activityId ?? '';
    return this.connector
      .sent()
      .filter((r) => r.conversationId?.includes(root) === true && r.operation === 'replyToActivity')
      .map((r) => cardText(cardsOf(r.activity)[0]));
  };
}
