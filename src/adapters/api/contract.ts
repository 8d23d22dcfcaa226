// The tab API's answers as JSON, shared by the server (src/api) and the tab (tab/src), so a change on one
// side that the other does not follow fails typecheck. Types and one label map only; it imports only types
// of domain modules (the tab's typecheck reads them, its bundle does not). Instants are epoch milliseconds.
import type { Outage, OutageChange } from '../../domain/outages/model';
import type { ExclusionCategory } from '../../domain/policy/schema';
import type { AvailabilityReport } from '../../domain/reports/availability';
import type { CustomerReport } from '../../domain/reports/customer';
import type { MetGroup, MetTally } from '../../domain/reports/sla-month';
import type {
  Basis,
  Clock,
  Instant,
  MonthAvailability,
  Notice,
  Priority,
  TargetName,
  TargetResult,
  TargetState,
  Window,
} from '../../domain/sla';
import type { Dashboard, Figures, MonthFigures, TargetFigures } from '../../domain/stats/service';
import type { WeekTrend } from '../../domain/stats/trend';
import type { EventType, Origin } from '../../domain/tickets/model';
import type { ShownStatus } from '../../domain/tickets/event-labels';
import type { PriorityPreview } from '../../domain/tickets/preview';
import type { OnCallOverride } from './ports';

// Views the domain already shapes for sending, as they are.
export type { AvailabilityReport, Dashboard, Figures, MonthAvailability, MonthFigures, TargetFigures };
export type { MetGroup, MetTally, WeekTrend };
export type {
  EngineerSatisfaction,
  SatisfactionFigures,
  SatisfactionMonth,
} from '../../domain/stats/satisfaction';
import type { AttachmentView, Deliveries, RatingView, RoundView } from './contract-ticket';
export type { AttachmentView, Deliveries, DeliveryView, RatingView, RoundView } from './contract-ticket';
export type { Clock, ExclusionCategory, Instant, Priority, TargetName, TargetState };
/** A customer's monthly SLA report. */
export type SlaReport = CustomerReport;

export type ApiRole = 'customer' | 'engineer' | 'manager';

/** What the API and the tab call the two targets. */
export const TARGET_LABELS: Readonly<Record<TargetName, string>> = {
  response: 'Response',
  workaround: 'Work-around',
};
/**
 * A ticket row's state: its worst unmet target's, 'met' when all are met; 'resolved' or 'closed' (the
 * ticket's own status) when not open.
 */
export type RowState = TargetState | 'resolved' | 'closed';

/** Every error answer: 400 INVALID_INPUT names the field, 401/403/404/409/503 only a code and words. */
export interface ProblemBody {
  readonly error: { readonly code: string; readonly message: string; readonly field?: string };
}

export interface PersonView {
  readonly id: string;
  readonly name: string;
}

// ---- Sign-in and session ------------------------------------------------------------------------------

export interface Persona {
  readonly id: string;
  readonly role: ApiRole;
  readonly name: string;
  readonly customerName: string | null;
}

export interface AuthConfig {
  readonly mode: 'local' | 'entra';
  readonly clientId?: string;
  /**
   * Entra mode: where the tab sends a person to consent when Teams SSO says consent is missing (the token
   * authority, LOGIN_ENDPOINT, and the scope asked for, `<Application ID URI>/access_as_user`).
   */
  readonly consent?: { readonly loginEndpoint: string; readonly scope: string };
  readonly personas: readonly Persona[];
  readonly timeZone: string;
  readonly timeZoneLabel: string;
}

export interface LocalKeys {
  readonly keys: readonly Readonly<Record<string, unknown>>[];
}

export interface LocalToken {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
}

export interface Me {
  readonly tenantId: string;
  readonly userId: string;
  readonly name: string;
  readonly role: ApiRole;
  readonly customerName?: string | undefined;
  readonly timeZone: string;
  readonly timeZoneLabel: string;
  readonly now: Instant;
  readonly supportOpen: boolean;
  /** Staff only: the customer tenants and the staff, for the queue's filters. */
  readonly customers?: readonly PersonView[];
  readonly staff?: readonly PersonView[];
}

// ---- Tickets ------------------------------------------------------------------------------------------

export interface TargetView {
  readonly target: TargetName;
  readonly label: string;
  readonly due: Instant | null;
  readonly metAt: Instant | null;
  readonly state: TargetState;
  readonly businessLeftMs: number;
  readonly wallLeftMs: number | null;
  readonly used: number;
  readonly clock: Clock;
  readonly budgetMinutes: number;
  /** True when the target's clock is counting right now (the tab ticks business time only then). */
  readonly counting: boolean;
}

export interface TicketRow {
  readonly id: string;
  readonly tenantId: string;
  readonly customerName: string;
  readonly title: string;
  readonly priority: Priority;
  /** As people are shown it: "reopened" from a reopen until the round's first reply (`shownStatus`). */
  readonly status: ShownStatus;
  /** The category's label. */
  readonly category: string;
  /** Staff see the owner's Entra object id; customers an opaque label for the ticket's owner instead. */
  readonly owner: PersonView | null;
  readonly requester: string;
  readonly dispatchedAt: Instant;
  /** The last change. */
  readonly updatedAt: Instant;
  readonly window: Window;
  readonly open: boolean;
  readonly state: RowState;
  /** When the customer asked for escalation, while the ticket is open (null: none, or not open). */
  readonly escalatedAt: Instant | null;
  /** The earliest unmet deadline's target, or null. */
  readonly next: TargetView | null;
  readonly targets: readonly TargetView[];
  readonly version: number;
}

export interface QueuePage {
  readonly now: Instant;
  readonly rows: readonly TicketRow[];
  /** The cursor of the next page, or null. */
  readonly next: string | null;
  /**
   * False when the answer comes from the first tickets only: a filtered, sorted or searched queue looks at
   * 2,000 tickets at most (narrow the dates or filters to reach the others).
   */
  readonly complete: boolean;
}

/** The queue's lifecycle choice (`state`) and sort column (`sort`) of `GET /api/queue`. */
export type QueueState = 'open' | 'resolved' | 'closed' | 'all';
export type QueueSort = 'deadline' | 'priority' | 'customer' | 'owner' | 'updated';

export interface EventView {
  readonly seq: number;
  readonly at: Instant;
  readonly type: EventType;
  readonly by: string;
  readonly role: string;
  readonly text: string | null;
  readonly internal: boolean;
  readonly data: Readonly<Record<string, string | number | boolean | null>> | null;
  /** Where it was done when not in Teams ('tab'); null for the channel, the bot and the app itself. */
  readonly via: Origin | null;
}

/** One line of "why is this deadline what it is". */
export interface Reason {
  readonly topic: 'window' | 'clock' | 'budget' | 'pauses' | 'changes' | 'now';
  readonly text: string;
}

export interface Explanation {
  readonly target: TargetName;
  readonly label: string;
  readonly reasons: readonly Reason[];
}

export interface TicketFull extends TicketRow {
  readonly description: string;
  readonly affectedUsers: number | null;
  /** The number the customer asked to be called back on, as they typed it. */
  readonly callbackNumber: string | null;
  /** The customer's latest request for escalation while the ticket is open (null when none or closed). */
  readonly escalation: { readonly at: Instant; readonly by: string; readonly reason: string | null } | null;
  readonly fix: { readonly release: string; readonly at: Instant } | null;
  readonly resolvedAt: Instant | null;
  readonly pausedMs: number;
  readonly priorityChanges: readonly {
    readonly at: Instant;
    readonly from: Priority;
    readonly to: Priority;
    readonly by: string;
    readonly reason: string;
  }[];
  readonly pauses: readonly { readonly start: Instant; readonly end: Instant | null }[];
  /** When the on-call page chain that nobody has acknowledged yet started (staff only; null for customers). */
  readonly pageAwaitingAck: Instant | null;
  /** Every round of the ticket, oldest first: one until it is reopened (docs/sla-rules.md, "Reopening"). */
  readonly rounds: readonly RoundView[];
  /** The resolved ticket this one follows up, e.g. "TM-1042"; null when none. */
  readonly relatedTo: string | null;
  /** The newest rating the customer gave (null: none yet); `until`: the last instant it can be changed. */
  readonly rating: RatingView | null;
}

export interface TicketDetail {
  readonly now: Instant;
  readonly ticket: TicketFull;
  readonly timeline: readonly EventView[];
  readonly explanations: readonly Explanation[];
  /** The ticket's files (not deleted), oldest first: on GET /api/tickets/:id. */
  readonly attachments?: readonly AttachmentView[];
  /** The desk's file limits (bytes per file, files per ticket), for the tab's checks before an upload. */
  readonly attachmentLimits?: { readonly maxBytes: number; readonly maxPerTicket: number };
}

// ---- Staff actions ---------------------------------------------------------------------------------------

/** What staff can do to a ticket from the tab, with each action's fields (the channel's buttons, the same). */
export type TicketAction =
  | { readonly action: 'take' | 'acknowledge' }
  | { readonly action: 'assign'; readonly to: string }
  | { readonly action: 'reply'; readonly text: string; readonly attachments?: readonly string[] }
  | { readonly action: 'ask' | 'workaround' | 'note'; readonly text: string }
  | { readonly action: 'priority'; readonly to: Priority; readonly reason: string }
  | { readonly action: 'fix'; readonly release: string; readonly text?: string }
  | { readonly action: 'resolve'; readonly text?: string }
  | { readonly action: 'reopen'; readonly reason?: string };
export type TicketActionName = TicketAction['action'];

/**
 * POST /api/tickets/:id/actions: an action, its idempotency key (a retry with the same one does nothing twice)
 * and the ticket version the viewer saw (a stale one gets 409 saying who changed the ticket first).
 */
export type ActionRequest = TicketAction & { readonly requestId: string; readonly version?: number };

/** POST /api/tickets/bulk: take or assign several tickets, each through the same command. */
export type BulkRequest = (
  { readonly action: 'take' } | { readonly action: 'assign'; readonly to: string }
) & {
  readonly ids: readonly string[];
  readonly requestId: string;
};

export type BulkResult =
  | { readonly id: string; readonly ok: true; readonly row: TicketRow }
  | { readonly id: string; readonly ok: false; readonly code: string; readonly message: string };

export interface BulkResults {
  readonly results: readonly BulkResult[];
}

/** The deadlines before and after a priority change, at the server's now. */
export type PriorityPreviewView = PriorityPreview;

/** Staff who can own a ticket (the assign picker). */
export interface StaffPeople {
  readonly people: readonly (PersonView & { readonly role: 'engineer' | 'manager' })[];
}

// ---- Dashboard, what-if, on call ------------------------------------------------------------------------

/** One target's deadline for a ticket filed at an instant, with the warnings it would get. */
export interface WhatIfTarget
  extends Pick<TargetResult, 'target' | 'due'>, Pick<Basis, 'clock' | 'budgetMinutes'> {
  readonly warnings: readonly Omit<Notice, 'target'>[];
}

export interface WhatIf {
  readonly priority: Priority;
  readonly at: Instant;
  readonly window: Window;
  readonly supportOpen: boolean;
  readonly response: WhatIfTarget;
  readonly workaround: WhatIfTarget;
}

export interface OnCall {
  readonly now: Instant;
  readonly configured: boolean;
  readonly handover?: string;
  readonly weeks: readonly {
    readonly start: Instant;
    readonly end: Instant;
    readonly primary: PersonView;
    /** Null in a week with nobody as secondary. */
    readonly secondary: PersonView | null;
  }[];
  readonly overrides: readonly (OnCallOverride & { readonly person: PersonView })[];
  /**
   * The paging chain of the policy, in order: each role and the minutes after the first page it is paged
   * when nobody acknowledged (escalation.chain).
   */
  readonly chain: readonly {
    readonly role: 'primary' | 'secondary' | 'manager';
    readonly afterMinutes: number;
  }[];
  /** The priorities that page the chain. */
  readonly pagePriorities: readonly Priority[];
  /** The support manager, the chain's manager step (ONCALL_MANAGER); null when no manager is configured. */
  readonly manager: PersonView | null;
}

// ---- Availability and outages ---------------------------------------------------------------------------

export interface Availability {
  readonly now: Instant;
  readonly month: string;
  readonly target: number;
  /** The contract's exclusion categories: a title and the clause's text. */
  readonly exclusions: Readonly<Record<ExclusionCategory, { readonly title: string; readonly text: string }>>;
  readonly current: MonthAvailability;
  /** The month and the eleven before it, oldest first. */
  readonly history: readonly MonthAvailability[];
  /** The month's outages; only staff get their causes. */
  readonly outages: readonly AvailabilityOutage[];
}

/**
 * An exclusion as the availability view shows it. Staff see every one (requested, approved, rejected) with
 * who decided and when; customers only approved ones, as `{ category, status }`.
 */
export interface AvailabilityExclusion {
  readonly category: ExclusionCategory;
  readonly status: 'requested' | 'approved' | 'rejected';
  readonly decidedBy?: string;
  readonly decidedAt?: Instant;
}

export interface AvailabilityOutage {
  readonly id: string;
  readonly start: Instant;
  /** Null while ongoing. */
  readonly end: Instant | null;
  readonly affected: string;
  /** Staff only. */
  readonly cause?: string;
  readonly exclusion: AvailabilityExclusion | null;
  /** How it counts this month: only an approved exclusion takes it out of the down time. */
  readonly countsAs: 'down' | 'excluded';
}

/** An outage as anyone may see it. */
export interface PublicOutage {
  readonly id: string;
  readonly start: Instant;
  /** Null while ongoing. */
  readonly end: Instant | null;
  readonly ongoing: boolean;
  readonly affected: string;
}

/** An outage as staff see it: its cause, exclusion and who did what. */
export interface StaffOutage
  extends
    PublicOutage,
    Pick<Outage, 'cause' | 'exclusion' | 'version' | 'createdBy' | 'createdAt' | 'lastChange'> {
  readonly countsAs: 'down' | 'excluded';
}

export interface ServiceStatus {
  readonly service: string;
  readonly up: boolean;
  /** Staff get StaffOutage rows. */
  readonly ongoing: readonly PublicOutage[];
  readonly month: MonthAvailability;
  readonly timeZone: string;
  readonly at: Instant;
}

export interface MonthOutages {
  readonly month: string;
  readonly availability: MonthAvailability;
  readonly outages: readonly StaffOutage[];
}

export interface OutageHistory {
  readonly outage: StaffOutage;
  readonly history: readonly OutageChange[];
}

/** The answer to recording or changing an outage. */
export interface OutageSaved {
  readonly outage: StaffOutage;
}

// ---- Team insights (staff only) ------------------------------------------------------------------------------

/** One person's open work; `owner` null is the unassigned tickets. Each ticket counts under one state. */
export interface WorkloadRowView {
  readonly owner: PersonView | null;
  readonly open: number;
  readonly atRisk: number;
  readonly breached: number;
  readonly paused: number;
}

export interface Workload {
  readonly now: Instant;
  readonly rows: readonly WorkloadRowView[];
  /** Open tickets counted (every open ticket unless `truncated`). */
  readonly tickets: number;
  /** True when there were more open tickets than the view reads (the count says how many were read). */
  readonly truncated: boolean;
}

export interface Trend {
  readonly now: Instant;
  readonly timeZone: string;
  readonly timeZoneLabel: string;
  /** Oldest first; the current week last (partial). */
  readonly weeks: readonly WeekTrend[];
  /** Tickets filed since this instant and every open ticket are counted; older ones resolved in the span are not. */
  readonly since: Instant;
}

export interface SlaInsights {
  readonly now: Instant;
  readonly month: string;
  readonly timeZone: string;
  readonly timeZoneLabel: string;
  /** True while the month is not over. */
  readonly partial: boolean;
  /** How met % is worked out, in words. */
  readonly rule: string;
  readonly all: readonly MetTally[];
  /** By the ticket's owner now ('' key: unassigned). */
  readonly byEngineer: readonly MetGroup[];
  readonly byCustomer: readonly MetGroup[];
}

// ---- Routes -------------------------------------------------------------------------------------------------

/** What each route answers with on success, by "METHOD path" (reports also come as CSV or HTML). */
export interface ApiViews {
  'GET /api/auth/config': AuthConfig;
  'GET /api/auth/local/keys': LocalKeys;
  'POST /api/auth/local/token': LocalToken;
  'GET /api/me': Me;
  'GET /api/queue': QueuePage;
  'GET /api/tickets/:id': TicketDetail;
  'POST /api/tickets/:id/actions': TicketDetail;
  'GET /api/tickets/:id/priority-preview': PriorityPreviewView;
  'GET /api/tickets/:id/deliveries': Deliveries;
  'POST /api/tickets/bulk': BulkResults;
  'GET /api/staff': StaffPeople;
  'GET /api/dashboard': Dashboard;
  'GET /api/availability': Availability;
  'GET /api/whatif': WhatIf;
  'GET /api/oncall': OnCall;
  'GET /api/status': ServiceStatus;
  'GET /api/outages': MonthOutages;
  'GET /api/outages/:id': OutageHistory;
  'POST /api/outages': OutageSaved;
  'POST /api/outages/:id': OutageSaved;
  'GET /api/reports/availability': AvailabilityReport;
  'GET /api/reports/sla': SlaReport;
  'GET /api/insights/workload': Workload;
  'GET /api/insights/trend': Trend;
  'GET /api/insights/sla': SlaInsights;
  /** Answered only as a CSV download. */
  'GET /api/export/sla.csv': never;
}
export type RouteKey = keyof ApiViews;
