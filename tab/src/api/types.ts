// The tab API's answers, as the server sends them (src/api). Instants are epoch milliseconds.
export type Role = 'customer' | 'engineer' | 'manager';
export type TargetState = 'met' | 'paused' | 'breached' | 'at-risk' | 'on-track';
export type RowState = TargetState | 'closed';

export interface Persona {
  readonly id: string;
  readonly role: Role;
  readonly name: string;
  readonly customerName: string | null;
}

export interface AuthConfig {
  readonly mode: 'local' | 'entra';
  readonly clientId?: string;
  readonly personas: readonly Persona[];
  readonly timeZone: string;
  readonly timeZoneLabel: string;
}

export interface Me {
  readonly tenantId: string;
  readonly userId: string;
  readonly name: string;
  readonly role: Role;
  readonly customerName?: string;
  readonly timeZone: string;
  readonly timeZoneLabel: string;
  readonly now: number;
  readonly supportOpen: boolean;
  readonly customers?: readonly { id: string; name: string }[];
  readonly staff?: readonly { id: string; name: string }[];
}

export interface TargetView {
  readonly target: 'response' | 'workaround';
  readonly label: string;
  readonly due: number | null;
  readonly metAt: number | null;
  readonly state: TargetState;
  readonly businessLeftMs: number;
  readonly wallLeftMs: number | null;
  readonly used: number;
  readonly clock: string;
  readonly budgetMinutes: number;
  readonly counting: boolean;
}

export interface TicketRow {
  readonly id: string;
  readonly tenantId: string;
  readonly customerName: string;
  readonly title: string;
  readonly priority: string;
  readonly status: string;
  readonly category: string;
  readonly owner: { readonly id: string; readonly name: string } | null;
  readonly requester: string;
  readonly dispatchedAt: number;
  readonly window: string;
  readonly open: boolean;
  readonly state: RowState;
  readonly next: TargetView | null;
  readonly targets: readonly TargetView[];
}

export interface QueuePage {
  readonly now: number;
  readonly rows: readonly TicketRow[];
  readonly next: string | null;
}

export interface EventView {
  readonly seq: number;
  readonly at: number;
  readonly type: string;
  readonly by: string;
  readonly role: string;
  readonly text: string | null;
  readonly internal: boolean;
}

export interface Explanation {
  readonly target: string;
  readonly label: string;
  readonly reasons: readonly { readonly topic: string; readonly text: string }[];
}

export interface TicketDetail {
  readonly now: number;
  readonly ticket: TicketRow & {
    readonly description: string;
    readonly pausedMs: number;
    readonly priorityChanges: readonly { at: number; from: string; to: string; by: string; reason: string }[];
  };
  readonly timeline: readonly EventView[];
  readonly explanations: readonly Explanation[];
}

export interface TargetFigures {
  readonly onTime: number;
  readonly late: number;
  readonly breached: number;
  readonly pending: number;
  readonly share: number | null;
}

export interface Figures {
  readonly tickets: number;
  readonly response: TargetFigures;
  readonly workaround: TargetFigures;
  readonly responseMedianMinutes: number | null;
  readonly responseP90Minutes: number | null;
  readonly pausedHours: number;
}

export interface MonthFigures {
  readonly month: string;
  readonly byPriority: Readonly<Record<'P1' | 'P2' | 'P3', Figures>>;
  readonly all: Figures;
}

export interface Dashboard {
  readonly now: number;
  readonly month: string;
  readonly months: readonly MonthFigures[];
  readonly current: MonthFigures;
  readonly lastTwelve: MonthFigures;
  readonly breaches: readonly {
    ticketId: string;
    customerName: string;
    title: string;
    priority: string;
    target: string;
    due: number | null;
    metAt: number | null;
    kind: 'late' | 'missed' | 'open';
  }[];
  readonly atRisk: readonly {
    ticketId: string;
    customerName: string;
    title: string;
    priority: string;
    owner: string | null;
    state: 'at-risk' | 'breached';
    target: 'response' | 'workaround';
    due: number;
  }[];
}

export interface MonthAvailability {
  readonly month: string;
  readonly minutes: number;
  readonly outageMinutes: number;
  readonly excludedMinutes: number;
  readonly excludedByCategory: Readonly<Record<string, number>>;
  readonly availability: number;
  readonly target: number;
  readonly met: boolean;
  readonly budgetMinutes: number;
  readonly budgetUsedMinutes: number;
  readonly budgetLeftMinutes: number;
}

export interface Availability {
  readonly now: number;
  readonly month: string;
  readonly target: number;
  readonly exclusions: Readonly<Record<string, string>>;
  readonly current: MonthAvailability;
  readonly history: readonly MonthAvailability[];
  readonly outages: readonly {
    id: string;
    start: number;
    end: number | null;
    affected: string;
    cause?: string;
    exclusion: { category: string; status: string } | null;
  }[];
}

export interface WhatIf {
  readonly priority: string;
  readonly at: number;
  readonly window: string;
  readonly supportOpen: boolean;
  readonly response: WhatIfTarget;
  readonly workaround: WhatIfTarget;
}

export interface WhatIfTarget {
  readonly target: string;
  readonly due: number | null;
  readonly clock: string;
  readonly budgetMinutes: number;
  readonly warnings: readonly { percent: number; firesAt: number; deliverAt: number }[];
}

export interface OnCall {
  readonly now: number;
  readonly configured: boolean;
  readonly handover?: string;
  readonly weeks: readonly {
    start: number;
    end: number;
    primary: { id: string; name: string };
    /** null in a week with nobody as secondary. */
    secondary: { id: string; name: string } | null;
  }[];
  readonly overrides: readonly {
    start: number;
    end: number;
    role: string;
    person: { id: string; name: string };
    reason?: string;
  }[];
}
