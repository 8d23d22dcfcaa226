// The support policy as typed, validated data (docs/sla-rules.md). Pure: no I/O.
// parsePolicy() turns unknown JSON into a Policy or a list of errors naming each field.
import { isZoneName } from '../kit/zone';
import { z } from 'zod';

const POSITIVE_INT = 'must be a positive integer';
const positiveInt = z
  .number({ invalid_type_error: POSITIVE_INT, required_error: 'is required' })
  .int(POSITIVE_INT)
  .positive(POSITIVE_INT)
  .max(10_000_000, 'must be at most 10000000');
const text = (max: number) =>
  z
    .string({ invalid_type_error: 'must be a string', required_error: 'is required' })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);
const hhmm = z
  .string({ invalid_type_error: 'must be a time "HH:MM"', required_error: 'is required' })
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time "HH:MM" between 00:00 and 24:00');
const isoDate = z.string({ invalid_type_error: 'must be a date "YYYY-MM-DD"' }).superRefine((iso, ctx) => {
  if (!/^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/.test(iso)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a date "YYYY-MM-DD"' });
    return;
  }
  const [y, m, d] = iso.split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() + 1 !== m || date.getUTCDate() !== d) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a real calendar date' });
  }
});
const clock = z.enum(['continuous', 'support-hours', 'business-days'], {
  errorMap: () => ({ message: 'must be one of "continuous", "support-hours", "business-days"' }),
});
const budget = z.object({ minutes: positiveInt, clock }).strict();
const priorityInfo = z
  .object({
    name: text(80),
    definition: text(1000),
    example: text(500),
    keywords: z.array(text(80)).max(100),
  })
  .strict();
const priorityTargets = z
  .object({ response: z.object({ inHours: budget, afterHours: budget }).strict(), workaround: budget })
  .strict();
const exclusion = z.object({ title: text(120), text: text(2000) }).strict();
const weekday = z
  .number()
  .int('must be an ISO weekday 1-7')
  .min(1, 'must be an ISO weekday 1-7')
  .max(7, 'must be an ISO weekday 1-7');
const deliveryRule = z.enum(['immediate', 'next-opening'], {
  errorMap: () => ({ message: 'must be "immediate" or "next-opening"' }),
});

export const policySchema = z
  .object({
    name: text(120),
    timeZone: z
      .string({ required_error: 'is required', invalid_type_error: 'must be an IANA time zone name' })
      .refine((zone) => isZoneName(zone), 'must be an IANA time zone name such as "America/New_York"'),
    /** How people name the zone in messages, e.g. "ET". */
    timeZoneLabel: text(12),
    calendar: z
      .object({
        businessDays: z
          .array(weekday)
          .min(1, 'must list at least one weekday')
          .refine((days) => new Set(days).size === days.length, 'must not repeat a weekday'),
        supportHours: z
          .object({ open: hhmm, close: hhmm })
          .strict()
          .refine((h) => h.open < h.close, { message: 'must be later than open', path: ['close'] }),
        holidays: z
          .array(isoDate)
          .max(10_000, 'must list at most 10000 dates')
          .refine((days) => new Set(days).size === days.length, 'must not repeat a date'),
      })
      .strict(),
    priorities: z.object({ P1: priorityInfo, P2: priorityInfo, P3: priorityInfo }).strict(),
    targets: z.object({ P1: priorityTargets, P2: priorityTargets, P3: priorityTargets }).strict(),
    warnings: z
      .object({
        thresholds: z
          .array(
            z
              .number({ invalid_type_error: 'must be a percentage' })
              .int('must be a whole percentage')
              .min(1, 'must be between 1 and 99')
              .max(99, 'must be between 1 and 99'),
          )
          .min(1, 'must list at least one percentage')
          .max(10, 'must list at most 10 percentages')
          .refine((t) => t.every((v, i) => i === 0 || v > (t[i - 1] ?? 0)), 'must be in ascending order'),
        atRiskFrom: z
          .number()
          .int('must be a whole percentage')
          .min(1, 'must be between 1 and 99')
          .max(99, 'must be between 1 and 99'),
        offHoursDelivery: z.object({ P1: deliveryRule, P2: deliveryRule, P3: deliveryRule }).strict(),
      })
      .strict(),
    escalation: z
      .object({
        customerCooldownMinutes: positiveInt,
        pagePriorities: z.array(z.enum(['P1', 'P2', 'P3'])).max(3),
        chain: z
          .array(
            z
              .object({
                role: z.enum(['primary', 'secondary', 'manager'], {
                  errorMap: () => ({ message: 'must be "primary", "secondary" or "manager"' }),
                }),
                afterMinutes: z
                  .number()
                  .int('must be a whole number of minutes')
                  .min(0, 'must not be negative'),
              })
              .strict(),
          )
          .min(1, 'must have at least one step')
          .refine(
            (c) => c.every((s, i) => i === 0 || s.afterMinutes > (c[i - 1]?.afterMinutes ?? -1)),
            'steps must come in increasing afterMinutes',
          ),
      })
      .strict(),
    /** How long after a resolution its customer may reopen the ticket (staff may at any time). */
    reopen: z
      .object({
        windowDays: z
          .number()
          .int('must be a whole number of days')
          .min(0, 'must not be negative')
          .max(365, 'must be at most 365'),
      })
      .strict()
      .default({ windowDays: 14 }),
    availability: z
      .object({
        service: text(120),
        target: z
          .number({ invalid_type_error: 'must be a number between 0 and 1' })
          .gt(0, 'must be a number between 0 and 1')
          .lt(1, 'must be a number between 0 and 1'),
        exclusions: z
          .object({ a: exclusion, b: exclusion, c: exclusion, d: exclusion, e: exclusion })
          .strict(),
      })
      .strict(),
    contact: z.object({ phone: text(80), email: z.string().email('must be an email address') }).strict(),
    /** Ratings ("how did we do"): a resolution's rating can be given or changed for `changeDays` after it. */
    satisfaction: z
      .object({
        changeDays: z
          .number({ invalid_type_error: 'must be a whole number of days' })
          .int('must be a whole number of days')
          .min(1, 'must be between 1 and 90')
          .max(90, 'must be between 1 and 90'),
      })
      .strict()
      .default({ changeDays: 7 }),
  })
  .strict();

/** The whole policy: calendar, targets, warnings, escalation, availability, contact. */
export type Policy = z.infer<typeof policySchema>;
export type ExclusionCategory = keyof Policy['availability']['exclusions'];
export const EXCLUSION_CATEGORIES: readonly ExclusionCategory[] = ['a', 'b', 'c', 'd', 'e'];

/** Thrown by parsePolicy with every problem found; `problems` name the field, e.g. `timeZone must be …`. */
export class InvalidPolicy extends Error {
  readonly code = 'INVALID_POLICY';
  constructor(
    readonly problems: readonly string[],
    source: string,
  ) {
    super(`invalid policy (${source}): ${problems.join('; ')}`);
    this.name = 'InvalidPolicy';
  }
}

function describe(issue: z.ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.join('.') : '(policy)';
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    return `${path === '(policy)' ? '' : `${path}.`}${issue.keys.join(', ')}: unknown field${issue.keys.length > 1 ? 's' : ''}`;
  }
  if (issue.code === z.ZodIssueCode.invalid_type && issue.received === 'undefined')
    return `${path} is required`;
  return `${path} ${issue.message}`;
}

/**
 * Validates a policy read from JSON.
 * @example parsePolicy({ ...DEFAULT_POLICY, timeZone: 'Mars/Base' }, 'p.json')
 *   // throws InvalidPolicy: "invalid policy (p.json): timeZone must be an IANA time zone name such as …"
 */
export function parsePolicy(input: unknown, source = 'policy'): Policy {
  const result = policySchema.safeParse(input);
  if (!result.success) throw new InvalidPolicy(result.error.issues.map(describe), source);
  return deepFreeze(result.data);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
