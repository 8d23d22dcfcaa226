// A typed subset of Adaptive Cards 1.5 (what SLA Desk renders) and the verbs its buttons carry.
// Cards are built by functions from views; no card is assembled from strings.

export type Verb =
  | 'ticket.new'
  | 'ticket.submit'
  | 'ticket.show'
  | 'ticket.refresh'
  | 'ticket.escalate'
  | 'ticket.answer'
  | 'ticket.rate'
  | 'ticket.reopen'
  | 'ticket.follow-up'
  | 'tickets.mine'
  | 'help'
  | 'staff.take'
  | 'staff.assign'
  | 'staff.reply'
  | 'staff.ask'
  | 'staff.priority'
  | 'staff.workaround'
  | 'staff.fix'
  | 'staff.resolve'
  | 'staff.reopen'
  | 'staff.note'
  | 'staff.refresh'
  | 'page.ack'
  | 'outage.new'
  | 'outage.record'
  | 'outage.end'
  | 'outage.edit'
  | 'outage.exclude'
  | 'outage.withdraw'
  | 'outage.approve'
  | 'outage.reject'
  | 'outage.refresh'
  | 'outage.status'
  | 'report.show';

export type Color = 'default' | 'dark' | 'light' | 'accent' | 'good' | 'warning' | 'attention';

export interface TextBlock {
  readonly type: 'TextBlock';
  readonly text: string;
  readonly wrap?: boolean;
  readonly weight?: 'default' | 'lighter' | 'bolder';
  readonly size?: 'small' | 'default' | 'medium' | 'large' | 'extraLarge';
  readonly color?: Color;
  readonly isSubtle?: boolean;
  readonly spacing?: 'none' | 'small' | 'default' | 'medium' | 'large';
  readonly separator?: boolean;
  readonly maxLines?: number;
  readonly id?: string;
}

export interface FactSet {
  readonly type: 'FactSet';
  readonly facts: readonly { readonly title: string; readonly value: string }[];
  readonly spacing?: TextBlock['spacing'];
  readonly separator?: boolean;
}

export interface Container {
  readonly type: 'Container';
  readonly items: readonly Element[];
  readonly style?: 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';
  readonly spacing?: TextBlock['spacing'];
  readonly separator?: boolean;
  readonly id?: string;
  readonly isVisible?: boolean;
}

export interface ColumnSet {
  readonly type: 'ColumnSet';
  readonly columns: readonly {
    readonly type: 'Column';
    /** 'auto', 'stretch' or a weight such as '2'. */
    readonly width: string;
    readonly items: readonly Element[];
  }[];
  readonly spacing?: TextBlock['spacing'];
  readonly separator?: boolean;
}

export interface InputText {
  readonly type: 'Input.Text';
  readonly id: string;
  readonly label?: string;
  readonly placeholder?: string;
  readonly value?: string;
  readonly isMultiline?: boolean;
  readonly maxLength?: number;
  readonly isRequired?: boolean;
  readonly errorMessage?: string;
  readonly style?: 'text' | 'tel' | 'email' | 'url';
}

export interface InputNumber {
  readonly type: 'Input.Number';
  readonly id: string;
  readonly label?: string;
  readonly placeholder?: string;
  readonly value?: number;
  readonly min?: number;
  readonly max?: number;
  readonly errorMessage?: string;
}

/** A date picker; the value is "YYYY-MM-DD". */
export interface InputDate {
  readonly type: 'Input.Date';
  readonly id: string;
  readonly label?: string;
  readonly value?: string;
  readonly isRequired?: boolean;
  readonly errorMessage?: string;
}

/** A time picker; the value is "HH:MM". */
export interface InputTime {
  readonly type: 'Input.Time';
  readonly id: string;
  readonly label?: string;
  readonly value?: string;
  readonly isRequired?: boolean;
  readonly errorMessage?: string;
}

export interface InputChoiceSet {
  readonly type: 'Input.ChoiceSet';
  readonly id: string;
  readonly label?: string;
  readonly value?: string;
  readonly style?: 'compact' | 'expanded';
  readonly isRequired?: boolean;
  readonly errorMessage?: string;
  readonly choices: readonly { readonly title: string; readonly value: string }[];
}

export interface ActionSet {
  readonly type: 'ActionSet';
  readonly actions: readonly Action[];
  readonly spacing?: TextBlock['spacing'];
}

export type Element =
  | TextBlock
  | FactSet
  | Container
  | ColumnSet
  | InputText
  | InputNumber
  | InputDate
  | InputTime
  | InputChoiceSet
  | ActionSet;

/** Data carried by an Action.Execute: the verb's payload; inputs are merged in by the client. */
export type ActionData = Readonly<Record<string, string | number | boolean>>;

export interface ActionExecute {
  readonly type: 'Action.Execute';
  readonly title: string;
  readonly verb: Verb;
  readonly data?: ActionData;
  readonly style?: 'default' | 'positive' | 'destructive';
  readonly associatedInputs?: 'auto' | 'none';
}

export interface ActionShowCard {
  readonly type: 'Action.ShowCard';
  readonly title: string;
  readonly card: {
    readonly type: 'AdaptiveCard';
    readonly body: readonly Element[];
    readonly actions?: readonly Action[];
  };
}

export interface ActionOpenUrl {
  readonly type: 'Action.OpenUrl';
  readonly title: string;
  readonly url: string;
}

export type Action = ActionExecute | ActionShowCard | ActionOpenUrl;

export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  readonly version: '1.5';
  readonly body: readonly Element[];
  readonly actions?: readonly Action[];
  readonly refresh?: {
    readonly action: {
      readonly type: 'Action.Execute';
      readonly title?: string;
      readonly verb: Verb;
      readonly data?: ActionData;
    };
    readonly userIds?: readonly string[];
  };
  readonly msteams?: {
    readonly width?: 'Full';
    /** Mentions used in TextBlocks as `<at>Name</at>`; only the app adds these, never user text. */
    readonly entities?: readonly {
      readonly type: 'mention';
      readonly text: string;
      readonly mentioned: { readonly id: string; readonly name: string };
    }[];
  };
  readonly fallbackText?: string;
}

/** A card with the schema and version filled in. */
export function card(
  body: readonly Element[],
  extra: Partial<Pick<AdaptiveCard, 'actions' | 'refresh' | 'msteams' | 'fallbackText'>> = {},
): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...extra,
  };
}

export const text = (value: string, extra: Omit<TextBlock, 'type' | 'text'> = {}): TextBlock => ({
  type: 'TextBlock',
  text: value,
  wrap: true,
  ...extra,
});

export const execute = (
  title: string,
  verb: Verb,
  data: ActionData = {},
  extra: Partial<Pick<ActionExecute, 'style' | 'associatedInputs'>> = {},
): ActionExecute => ({
  type: 'Action.Execute',
  title,
  verb,
  data: { verb, ...data },
  ...extra,
});

/**
 * Escapes user text for a TextBlock: emphasis, links, headings, lists, quotes and `<at>` mentions are
 * shown literally. Newlines become paragraph breaks (TextBlock markdown needs two).
 * @example escape('**hi** <at>Bob</at> [x](https://evil)') // '\\*\\*hi\\*\\* \\<at\\>Bob\\</at\\> \\[x\\](https://evil)'
 */
export function escape(value: string): string {
  return value
    .split(/\r?\n/)
    .map((line) =>
      line
        .replace(/[\\`*_[\]<>~|#]/g, (c) => `\\${c}`)
        .replace(/^(\s*)([-+])(\s)/, '$1\\$2$3')
        .replace(/^(\s*\d+)\.(\s)/, '$1\\.$2'),
    )
    .join('\n\n');
}

/**
 * The start of a long text for a one-line view: cut at `max` characters, with an ellipsis when cut.
 * @example clip('abcdef', 3) // 'abc…'
 */
export function clip(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}
