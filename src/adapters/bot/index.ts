// The teams-ai Application: registers each conversation feature; turns run stateless (cards carry state,
// tickets live in storage), so no turn-state storage is needed.
import { Application, TurnState, type TeamsAdapter } from '@microsoft/teams-ai';
import type { BotDeps } from './deps';
import * as filing from './filing';
import * as following from './following';
import * as rating from './rating';
import * as reopening from './reopening';
import * as welcome from './welcome';
import { registerChannel } from './channel';
import * as staff from './staff';
import { registerPaging } from './paging';
import * as outages from './outages';
import * as reports from './reports';
import { registerOnCall, type OnCallDeps } from './oncall';
import { answerActionsFirst, refuseUnknownInvokes } from './invoke';
import { messageOf } from '../../domain/kit/errors';

export function createBot(adapter: TeamsAdapter, deps: BotDeps, oncall: OnCallDeps): Application {
  const app = new Application<TurnState>({
    adapter,
    botAppId: deps.config.bot.mode === 'authenticated' ? deps.config.bot.appId : '',
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
    turnStateFactory: () => new TurnState(),
  });
  answerActionsFirst(app, deps);
  registerChannel(app, deps);
  // Before filing: "is there an outage?" is a question, not a problem report.
  outages.register(app, deps);
  reports.register(app, deps);
  registerOnCall(app, deps, oncall);
  staff.register(app, deps);
  registerPaging(app, deps);
  welcome.register(app, deps);
  filing.register(app, deps);
  // Before following: its catch-all would take "reopen TM-1042: …" for a message.
  reopening.register(app, deps);
  following.register(app, deps);
  rating.register(app, deps);
  refuseUnknownInvokes(app);
  // One error line per failed turn (with the stack); a failed apology is a field of it, and the request is
  // answered 500 by the server without a second line (TurnFailed).
  app.error(async (context, err) => {
    let apology: unknown;
    if (context.activity.type === 'message') {
      try {
        await context.sendActivity(
          'Sorry, something went wrong on our side and nothing was changed. Please try again.',
        );
      } catch (e) {
        apology = e;
      }
    }
    deps.log.error('turn failed', {
      err,
      type: context.activity.type,
      ...(apology === undefined ? {} : { apologyNotSent: messageOf(apology).slice(0, 200) }),
    });
    if (apology !== undefined) throw new TurnFailed();
  });
  return app;
}

/** A turn that failed and was logged already (its apology could not be sent either): answer 500, log nothing. */
export class TurnFailed extends Error {
  constructor() {
    super('the turn failed (logged)');
  }
}
