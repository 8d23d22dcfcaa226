// suggestPriority reads customers' words the way the support policy defines priorities: a table of realistic
// messages to a telephony-to-Teams connector's desk, each with the priority triage must suggest.
import { DEFAULT_POLICY, DEFAULT_POLICY_JSON } from '../../src/domain/policy/default';
import { parsePolicy } from '../../src/domain/policy/schema';
import { describesProblem, suggestPriority, titleFrom } from '../../src/domain/tickets/suggest';

/** The whole service or every user is hit: logging in, calling, receiving calls, the connector. */
const SYSTEM_WIDE: readonly string[] = [
  'Since 8:40 this morning every single user gets a fast busy when they try to call out',
  'URGENT: our entire organisation is unable to sign in to Teams calling, started around 7am',
  'Nobody at Acme Logistics can receive inbound calls right now, customers are getting dead air',
  'All of our desk phones went dead about twenty minutes ago',
  'Hi team, none of us can place outbound calls since the maintenance window last night',
  'We have a complete outage, no calls in or out for the whole company',
  'The TeamMate connector appears to be offline for all of our users',
  'Not one of our 300 agents can take calls, the call centre is dead in the water',
  'Every phone across all our branches has no dial tone',
  'Our whole contact centre cannot make or receive calls since 10:15 EST',
  'Ticket: company-wide failure, inbound calls not ringing anywhere',
  'Calls are failing across the board for everyone, both inbound and outbound',
  'no one in the organization can log into the portal or make calls',
  'We are completely down. Phones are not working at all.',
  'Everybody is getting an error when dialling any external number',
  'The service is down for every user in our tenant',
  'Hard down since 6am: all users unable to call in or out',
  'All our lines are down and our customers cannot reach us',
  'Urgent - the entire office has lost calling, Teams shows no dial pad for anyone',
  'None of our staff can sign in to the TeamMate portal this morning, it just spins',
  "We can't make any calls at all since about 2pm",
  'Massive outage: inbound calls are not coming through to any of our users',
  'Our whole company has been unable to dial out since lunch',
  'Nobody can call anyone, internal or external, it all fails instantly',
  'Since the weekend no one across our five sites can get calls',
  'P1 please - the connector is offline and none of the phones work',
  'All users in our tenant are getting "call could not be completed" on every call',
  'Every agent in our call center is unable to log in since 9:05',
  'Phones are dead everywhere, nobody here can dial out or answer',
  'Every extension company-wide is failing to register since 4am',
  'TeamMate is down for all of us - cannot make calls',
  "we're getting no dial tone on every phone in every office",
  'Entire staff locked out of Teams phone sign-in this morning',
  "Is there an outage? None of our people can call out and customers can't get through to us",
  'Inbound and outbound calling failed for the whole org at 11:02',
  'Our users cannot make or receive any phone calls',
  'All 120 users are unable to receive calls since 8am Pacific',
  "the whole call center is offline, agents can't answer anything",
  'Nothing is getting through, all incoming calls fail for every user',
  'Since this morning we have zero calling capability across the entire business',
  'Everyone is affected by the outage since 9',
  'our phone service is down',
  'Our main numbers are out of service for everyone who dials them',
  'Not one person in any of our eleven clinics can hear a dial tone or make a call',
  'Total loss of calling for all staff since noon',
  // Failure words beyond "can't" and "down": bounces, rejected, gone, times out, nothing connects, 5xx.
  'Every call our staff place bounces straight back, since 07:55',
  'All outgoing calls are being rejected for everyone in the company',
  'Dial tone has gone from every desk phone in the org',
  'Company-wide, calls just time out before they ever ring',
  'Nothing connects for anybody this morning, phones or Teams',
  'The portal gives a 502 bad gateway for all of our admins and no one can sign in',
  'Every handset across the business keeps rebooting and never registers',
  'Phones silent for everybody, on site and remote',
  'Calling has died for everybody in the building and at home',
  'Everyone who calls any of our numbers gets a "this number is no longer in service" recording',
  'The whole tenant has trouble with the phones since 8',
  // Everyone in other words: "any of our offices", "every one of our branches".
  'We have no telephony in any of our offices since 5am',
  'Calling is dead in every one of our branches',
  // "No calls working" says nothing works.
  'No calls working for anyone since the 14:00 change',
  // Everyone, trouble and the service in different sentences.
  'Every user is seeing errors. Started with the phones at 10.',
];

/** Part of the customer (some users, one site, one person) or one feature, even for everyone. */
const PARTIAL: readonly string[] = [
  "Some of our users at the Chicago site can't make outbound calls",
  'Call transfers stopped working for everyone this morning',
  "Voicemail isn't being delivered to anyone's inbox since yesterday",
  'Our Boston office has no dial tone but the other offices are fine',
  'A few users report one-way audio on external calls',
  'Nobody is able to park calls anymore, the park button does nothing',
  'Call forwarding to mobile numbers fails for several people in sales',
  'Recordings are missing for all calls since Tuesday',
  'Caller ID shows the wrong number on our outbound calls',
  "The auto attendant options don't work, pressing 2 just hangs up",
  'Calls to the support hunt group are not ringing any agents',
  'Hold music is not playing, callers hear silence while on hold',
  "We can't merge calls into a conference anymore",
  'Everyone can call normally, only the call queue is broken',
  'Not an outage, but voicemail to email stopped for all users',
  'Calls work fine but transferring to external numbers fails',
  "My team in Denver can't receive calls, everyone else seems ok",
  "Two of our users can't log in to the TeamMate portal",
  'Intermittent dropped calls after about 30 seconds on some lines',
  "Our receptionist can't transfer calls to extensions",
  'Blind transfers fail for the whole company since the update',
  'Callers in the IVR get disconnected when they choose option 3',
  'The Atlanta warehouse phones have been dead since 7am',
  'Users working remotely cannot make calls, those in the office are fine',
  'Echo and choppy audio on most calls from our London branch',
  'Conference calls drop after 10 minutes for everyone',
  'Outbound caller ID is showing as anonymous for all our numbers',
  'Incoming calls to the sales queue go straight to voicemail',
  'Three users at the downtown clinic cannot receive inbound calls',
  "Call park isn't working across any of our sites",
  'Forwarding to cell phones stopped working company-wide',
  'Everyone can make and receive calls, but no one can transfer',
  "I can't make calls from my Teams client, colleagues are fine",
  'Voicemails are not being recorded, callers hear a busy tone',
  "Half of our sales team can't dial out",
  'Users at the Miami location get a busy signal on inbound calls',
  'Transfers to the front desk fail for every caller',
  'Nobody can retrieve parked calls since the weekend',
  'Some people hear nothing when they pick up, the caller can hear them',
  'Auto attendant menu option 1 goes to a dead end for everyone',
  'My voicemail light never turns off and messages are missing',
  'Call recording stopped saving for our compliance team',
  'External callers are hearing static on calls to our Dallas office',
  'Calls keep dropping for a handful of remote workers',
  'Everybody gets the wrong caller ID when calling out',
  'The hunt group stopped ringing all members after the update',
  'No one can forward their calls to mobile numbers',
  'Our second floor cannot make calls, the rest of the building works',
  'Conference bridge fails to connect more than three parties',
  'is there an outage?',
  'we have been having problems with the portal being down for some users',
  "I can't make calls on my desk phone",
  "Voicemail messages never show up in anyone's inbox since the upgrade",
  "The sales queue isn't routing calls to anybody on the team",
  'Outgoing caller ID is displaying the previous company name',
  'Ring group members never get the call, it just rings out',
  'Caller ID comes through blank for a few of our users',
  'Everyone gets an invalid PIN error joining the conference bridge',
  'Outbound is broken for all branches, inbound still fine',
  'Caller ID reads "Private" on every call we make',
  'Calls drop as soon as they are put through to the accounts team',
  'The support ring group rings out and nobody in the queue can pick it up',
  // Everyone and a failure word: never a P3, even when no service or feature is named.
  'Everybody sees an error banner in Teams since the morning',
];

/** Provisioning, billing, how-to questions and feature requests. */
const PROVISIONING_OR_QUESTION: readonly string[] = [
  'How do I add a new user to the TeamMate portal?',
  'Please remove John Smith, he left the company last Friday',
  'We need three more licenses for new starters next month',
  'Can we port our existing numbers from our old carrier?',
  'Question about our latest invoice, we were charged twice',
  'Could you change the main greeting on our auto attendant for the holidays?',
  'Is it possible to set up a hunt group for the service desk?',
  "Feature request: show the caller's company name in Teams",
  'Not an outage, just a question about how call recording retention works',
  'No outage here, we would like to assign a new number to our lobby phone',
  'What is the best way to set up after-hours routing?',
  "Can you send us a copy of last month's bill?",
  'We want to add 15 users for the new Phoenix office opening in March',
  "I can't add a user in the admin portal, the save button is greyed out",
  'Porting request for 20 DIDs is stuck in pending',
  'How can we record a new voicemail greeting for the sales team?',
  'Please deactivate the licence for our former intern',
  "We'd love to see SMS support in a future release",
  'Where can I find documentation on configuring call queues?',
  'Everything works fine, just wondering if you support fax',
  'Need to update the display name on two of our numbers',
  'Our renewal quote seems high, can someone call me?',
  'Onboarding 5 new hires on Monday, please provision extensions',
  'Is there a way to have voicemail transcribed to email?',
  'Could you help us port 40 numbers from Verizon?',
  'How do I change who receives voicemails for the main line?',
  'Please add Sarah Jones as a new user with extension 204',
  'Looking for pricing for 50 additional seats',
  'We would like to know if TeamMate integrates with Salesforce',
  'Our greeting needs updating for the new office hours',
  'billing question - why did our invoice go up this month?',
  'not urgent: can we get a vanity number for marketing?',
  'Calls are working, we just need help configuring a ring group',
  'Can someone remove the licence from an old account?',
  "I can't figure out how to set up call forwarding",
  'Nobody at our company knows how to add users',
  'Our bill went up this month, can someone explain the charges?',
  "The voicemail greeting for the main line won't upload",
  'Nothing broken, we just want a training session on call queues',
  'Everyone likes the new setup; how do we turn on call recording for all users?',
  'All of our invoices list the wrong number of lines this quarter',
];

describe('suggestPriority', () => {
  it.each(SYSTEM_WIDE)('P1 outage: %s', (text) => {
    const s = suggestPriority(DEFAULT_POLICY, text);
    expect([s.priority, s.category]).toEqual(['P1', 'outage']);
    expect(s.reason).toMatch(/^".+" → P1, system-wide outage$/);
    expect(describesProblem(DEFAULT_POLICY, text)).toBe(true);
  });

  it.each(PARTIAL)('P2 partial outage: %s', (text) => {
    const s = suggestPriority(DEFAULT_POLICY, text);
    expect([s.priority, s.category]).toEqual(['P2', 'partial-outage']);
    expect(s.reason).toContain('→ P2, partial outage on multiple accounts');
    expect(describesProblem(DEFAULT_POLICY, text)).toBe(true);
  });

  it.each(PROVISIONING_OR_QUESTION)('P3: %s', (text) => {
    const s = suggestPriority(DEFAULT_POLICY, text);
    expect(s.priority).toBe('P3');
    expect(['provisioning', 'question']).toContain(s.category);
  });

  it('names the words that decided, scope + what fails', () => {
    expect(suggestPriority(DEFAULT_POLICY, 'None of our users can make calls since 9am').reason).toBe(
      '"none of our" + "make calls" → P1, system-wide outage',
    );
    expect(suggestPriority(DEFAULT_POLICY, 'Some of our users at one site cannot dial out').reason).toBe(
      '"some of our users" + "dial out" → P2, partial outage on multiple accounts (not every user)',
    );
    expect(suggestPriority(DEFAULT_POLICY, 'Nobody is able to put callers on hold today')).toEqual({
      priority: 'P2',
      category: 'partial-outage',
      reason:
        '"on hold" + "nobody" → P2, partial outage on multiple accounts (one feature, not the whole service)',
    });
  });

  it('everyone, any trouble and the service is a P1; everyone and a failure word is never a P3', () => {
    expect(
      suggestPriority(DEFAULT_POLICY, 'Every user is seeing errors. Started with the phones at 10.').reason,
    ).toBe('"every user" + "errors" + "phones" → P1, system-wide outage');
    expect(
      suggestPriority(DEFAULT_POLICY, 'Everybody sees an error banner in Teams since the morning').reason,
    ).toBe(
      '"everybody" + "error" → P2, partial outage on multiple accounts (everyone, but not the whole service)',
    );
  });

  it('says when words that the service works ruled a P1 out', () => {
    expect(
      suggestPriority(DEFAULT_POLICY, 'Everybody can make calls, though parking calls fails').reason,
    ).toBe(
      '"can make" rules out P1; "parking calls" + "fails" → P2, partial outage on multiple accounts (one feature, not the whole service)',
    );
  });

  it('a question is a question, set-up work is provisioning', () => {
    expect(suggestPriority(DEFAULT_POLICY, 'How would we go about recording calls?').category).toBe(
      'question',
    );
    expect(suggestPriority(DEFAULT_POLICY, 'Please add two users to our account').category).toBe(
      'provisioning',
    );
    expect(suggestPriority(DEFAULT_POLICY, 'Good morning')).toEqual({
      priority: 'P3',
      category: 'question',
      reason: 'no outage described → P3, provisioning problem',
    });
  });

  it("reads a policy file's own keywords too", () => {
    const json = structuredClone(DEFAULT_POLICY_JSON);
    json.priorities.P2.keywords.push('presence');
    json.priorities.P3.keywords.push('vanity');
    const policy = parsePolicy(json, 'test policy');
    expect(suggestPriority(policy, 'Presence is broken for a few people').priority).toBe('P2');
    expect(suggestPriority(policy, 'We want a vanity number').reason).toBe(
      '"vanity" → P3, provisioning problem',
    );
  });
});

describe('describesProblem and titleFrom', () => {
  it('a greeting or a short word opens no form', () => {
    expect(describesProblem(DEFAULT_POLICY, 'hello there')).toBe(false);
    expect(describesProblem(DEFAULT_POLICY, 'Thanks for the help today')).toBe(false);
  });

  it('the title is the first sentence, cut with an ellipsis', () => {
    expect(titleFrom('All phones are dead. Since 9am.', 80)).toBe('All phones are dead.');
    expect(titleFrom('Nobody across our sites can dial out this morning', 20)).toBe('Nobody across our s…');
  });
});
