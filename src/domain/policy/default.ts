// The default policy: the published TeamMate support policy as docs/sla-rules.md reads it.
// A deployment replaces it with a JSON file (POLICY_FILE or --policy); see docs/cli.md "The policy".
import { parsePolicy, type Policy } from './schema';

/** The policy's defaults as plain JSON (what `npm run cli -- policy` prints). */
export const DEFAULT_POLICY_JSON = {
  name: 'TeamMate Support Policy',
  timeZone: 'America/New_York',
  timeZoneLabel: 'ET',
  calendar: {
    businessDays: [1, 2, 3, 4, 5],
    supportHours: { open: '04:00', close: '22:00' },
    holidays: [] as string[],
  },
  priorities: {
    P1: {
      name: 'System-wide outage',
      definition:
        'This priority should be reserved for system-wide outages that affect all Customer accounts using the Software.',
      example: 'User inability to make and/or receive a call.',
      keywords: [
        'outage',
        'down',
        'all users',
        'everyone',
        'nobody can',
        'none of our users',
        'no one can',
        'cannot make calls',
        "can't make calls",
        'cannot receive calls',
        "can't receive calls",
        'no calls',
        'system-wide',
        'service is down',
        'completely down',
      ],
    },
    P2: {
      name: 'Partial outage on multiple accounts',
      definition:
        'Service affecting problems are experienced such as partial Software functionality outage on multiple accounts.',
      example: 'User inability to transfer a call.',
      keywords: [
        'transfer',
        'partial',
        'some users',
        'several users',
        'multiple accounts',
        'multiple users',
        'intermittent',
        'voicemail',
        'call quality',
        'dropped calls',
        'hold',
        'forwarding',
        'degraded',
      ],
    },
    P3: {
      name: 'Provisioning problem',
      definition:
        'Provisioning problems that impact speed of setup/change but do not impact the telephony service.',
      example: 'The inability to add a User.',
      keywords: [
        'add a user',
        'add user',
        'new user',
        'provision',
        'setup',
        'set up',
        'configure',
        'license',
        'remove a user',
        'change a number',
        'onboard',
        'question',
        'how do i',
      ],
    },
  },
  targets: {
    P1: {
      response: {
        inHours: { minutes: 60, clock: 'continuous' },
        afterHours: { minutes: 120, clock: 'continuous' },
      },
      workaround: { minutes: 2880, clock: 'continuous' },
    },
    P2: {
      response: {
        inHours: { minutes: 120, clock: 'support-hours' },
        afterHours: { minutes: 360, clock: 'business-days' },
      },
      workaround: { minutes: 7200, clock: 'business-days' },
    },
    P3: {
      response: {
        inHours: { minutes: 240, clock: 'support-hours' },
        afterHours: { minutes: 720, clock: 'business-days' },
      },
      workaround: { minutes: 14400, clock: 'business-days' },
    },
  },
  warnings: {
    thresholds: [50, 75, 90],
    atRiskFrom: 75,
    offHoursDelivery: { P1: 'immediate', P2: 'next-opening', P3: 'next-opening' },
  },
  escalation: {
    customerCooldownMinutes: 240,
    pagePriorities: ['P1'],
    chain: [
      { role: 'primary', afterMinutes: 0 },
      { role: 'secondary', afterMinutes: 15 },
      { role: 'manager', afterMinutes: 30 },
    ],
  },
  reopen: { windowDays: 14 },
  availability: {
    service: 'Core Service',
    target: 0.9999,
    exclusions: {
      a: {
        title: 'Customer act or omission',
        text: 'Any act or omission on the part of the Customer, any third-party contractor or vendor, or any other entity over which the Customer exercises control or has the right to exercise control.',
      },
      b: {
        title: 'Force majeure (including Microsoft)',
        text: 'Force majeure event beyond the reasonable control of TeamMate, including, but not limited to, natural disasters, cable cuts, government acts and regulation, ad national emergency, Microsoft, or any other matters beyond the control of TeamMate.',
      },
      c: {
        title: 'Third party or local access provider; service not released for repair',
        text: 'Interruptions associated with act or omission on the part of the Customer or a third party, including, but not limited to, any local access provider, or an interruption where the Customer elects not to release the service for testing and repair and continues to use it on an impaired basis.',
      },
      d: {
        title: "Customer's network connection",
        text: "Any failure or issue associated with the Customer's underlying network connection.",
      },
      e: {
        title: "Customer's delay in responding",
        text: "Time attributed to Customer's delay in responding to TeamMate requests for assistance to repair a Service Outage, Service Affecting Issue or other Service problem.",
      },
    },
  },
  contact: { phone: '+1 413-331-6100 option 2', email: 'support@teammate.example' },
  satisfaction: { changeDays: 7 },
};

/** The default policy, validated and frozen. */
export const DEFAULT_POLICY: Policy = parsePolicy(DEFAULT_POLICY_JSON, 'default policy');
