// Checks a card the way a client would: the official `adaptivecards` library parses it without a single
// warning or validation event, and the message fits Teams' size limit.
import type * as AdaptiveCards from 'adaptivecards';

// The package's ESM build does not load in Node; its UMD bundle does.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCards;

/** Teams rejects messages over about 28 KB; cards must stay under it. */
export const TEAMS_MESSAGE_LIMIT = 28 * 1024;

/** Problems with a card: parse warnings, validation events, size. Empty when the card is clean. */
export function cardProblems(json: unknown): string[] {
  const problems: string[] = [];
  const size = Buffer.byteLength(JSON.stringify(json), 'utf8');
  if (size > TEAMS_MESSAGE_LIMIT) problems.push(`card is ${size} bytes, over ${TEAMS_MESSAGE_LIMIT}`);
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(json as Parameters<typeof card.parse>[0], context);
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of card.validateProperties().validationEvents) problems.push(`validate: ${e.message}`);
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      const o = node as Record<string, unknown>;
      if (o['type'] === 'AdaptiveCard' && node !== json) {
        const inner = cardProblems({ ...o, version: (json as Record<string, unknown>)['version'] });
        problems.push(...inner.map((p) => `show-card: ${p}`));
        return;
      }
      Object.values(o).forEach(walk);
    }
  };
  walk((json as Record<string, unknown>)['actions']);
  return problems;
}

/** The Adaptive Card content of an activity's attachments. */
export function cardsOf(
  activity:
    | { readonly attachments?: readonly { readonly contentType: string; readonly content?: unknown }[] }
    | undefined,
): Record<string, unknown>[] {
  return (activity?.attachments ?? [])
    .filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
    .map((a) => a.content as Record<string, unknown>);
}

/** Every TextBlock text and fact of a card, joined: what a person reads. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      const o = node as Record<string, unknown>;
      if (o['type'] === 'TextBlock' && typeof o['text'] === 'string') out.push(o['text']);
      if (typeof o['title'] === 'string' && typeof o['value'] === 'string')
        out.push(`${o['title']}: ${o['value']}`);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out.join('\n');
}
