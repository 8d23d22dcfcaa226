// The platform as production gets it, checked offline: every setting src/config.ts reads is provisioned (or
// said why not), and arrives in the app as the operator wrote it; the site's real host name; Application
// Insights with Entra ID only; the Graph app roles; Teams as the only channel; Node 22 LTS; the local bot a
// single-tenant registration.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseDotenv } from '../../src/cli/dotenv';
import { envSchema, loadConfig } from '../../src/config';
import { appSettings, parseBicep, resourceBody, varBody } from './bicep';
import { parametersOf, unquotedPlaceholders } from './toolkit';

const ROOT = join(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const bicep = parseBicep(read('infra/azure.bicep'));
const fixed = appSettings(resourceBody(bicep, 'webAppSettings'));
const operator = appSettings(varBody(bicep, 'operatorSettings'));
const parametersText = read('infra/azure.parameters.json');
const devText = read('env/.env.dev');
const dev = parseDotenv(devText).values;

/** Read by src/config.ts but not provisioned, and why. */
const NOT_PROVISIONED: Readonly<Record<string, string>> = {
  TABLES_CONNECTION_STRING:
    'a connection string carries the account key; Azure reaches the tables as the identity',
  DATA_DIR: 'embedded Azurite, which production refuses',
  BOT_PASSWORD: 'the bot is a managed identity, which has no secret',
  SIM_CLOCK_START: 'the simulated clock, which production refuses',
  SIM_CLOCK_SPEED: 'read only with SIM_CLOCK_START',
  SIM_CLOCK_ANCHOR: 'read only with SIM_CLOCK_START',
  INSTANCE_ID: 'one name per instance: an app setting would give all instances the same one',
};

const GUIDS = {
  identity: '7a4f2c1e-9b3d-4e5f-8a6b-1c2d3e4f5a6b',
  tenant: '3c9d1e2f-4a5b-4c6d-9e7f-0a1b2c3d4e5f',
  tab: 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f',
  engineers: 'e1e1e1e1-0000-4000-8000-000000000001',
  managers: 'e1e1e1e1-0000-4000-8000-000000000002',
  ann: 'a0a0a0a0-0000-4000-8000-00000000000a',
  bob: 'b0b0b0b0-0000-4000-8000-00000000000b',
  max: 'c0c0c0c0-0000-4000-8000-00000000000c',
};
const HOST = 'sladesk-dev-1a2b3c-h7fzcxbvdkdva8gq.westeurope-01.azurewebsites.net';

/** What an operator writes in env/.env.dev for every setting: none left to the app's default. */
const OPERATOR_ENV: Readonly<Record<string, string>> = {
  TABLE_PREFIX: 'prod',
  TICKET_PREFIX: 'TMX',
  CUSTOMER_TENANTS: '11111111-1111-4111-8111-111111111111=Contoso',
  STAFF_TENANT_ID: GUIDS.tenant,
  STAFF_ENGINEERS: `${GUIDS.ann}=Ann Engineer;${GUIDS.bob}=Bob Engineer`,
  STAFF_MANAGERS: `${GUIDS.max}=Max Manager`,
  STAFF_ENGINEER_GROUP: GUIDS.engineers,
  STAFF_MANAGER_GROUP: GUIDS.managers,
  ONCALL_ROTATION: `{"start":"2026-11-23","handover":"09:00","weeks":[{"primary":"${GUIDS.ann}","secondary":"${GUIDS.bob}"}]}`,
  ONCALL_MANAGER: GUIDS.max,
  P1_RESPONDERS: `${GUIDS.ann};${GUIDS.bob}`,
  OWNER_ON_FIRST_REPLY: 'false',
  DELIVERY_ALERT_MINUTES: '9',
  WATCHER_INTERVAL_MS: '7000',
  OUTBOX_LEASE_MS: '45000',
  OUTBOX_TENANT_RATE: '12',
  OUTBOX_RETENTION_DAYS: '14',
  OUTBOX_STUCK_ATTEMPTS: '8',
  THREAD_REPAIR_INTERVAL_MS: '60000',
  THREAD_REPAIR_GRACE_MS: '180000',
  RATE_LIMIT_WINDOW_S: '20',
  RATE_LIMIT_USER: '40',
  RATE_LIMIT_TENANT: '400',
  RATE_LIMIT_CLIENT: '80',
  TEAMS_SERVICE_HOSTS: 'smba.trafficmanager.net;smba.infra.gcc.teams.microsoft.com',
  LOG_LEVEL: 'warn',
  DRAIN_TIMEOUT_MS: '8000',
  ATTACHMENT_HOSTS: 'smba.trafficmanager.net,*.sharepoint.com',
  ATTACHMENT_FETCH_TIMEOUT_MS: '30000',
  ATTACHMENTS_PER_MESSAGE: '10',
  TEAMS_APP_ID: '00000000-0000-0000-0000-000000000000',
  ATTACHMENT_MAX_MB: '25',
  ATTACHMENT_MAX_PER_TICKET: '20',
  ATTACHMENT_CONTAINER: 'attachments',
  ATTACHMENT_RETENTION_DAYS: '90',
  SUPPORT_PHONE: '+1 413-331-6100',
  SUPPORT_EMAIL: 'help@teammate.example',
  POLICY_FILE: 'policy/teammate.json',
  GRAPH_ENDPOINT: 'https://graph.microsoft.us',
  LOGIN_ENDPOINT: 'https://login.microsoftonline.us',
  TAB_API_AUDIENCE: `api://sla.teammate.example/${GUIDS.tab}`,
  TAB_AUTH_JWKS_URL: 'https://login.microsoftonline.us/common/discovery/v2.0/keys',
};

/** The Bicep expressions of the fixed settings, as Azure resolves them. */
const RESOLVED: Readonly<Record<string, string>> = {
  'identity.properties.clientId': GUIDS.identity,
  'identity.properties.tenantId': GUIDS.tenant,
  'insights.properties.ConnectionString': 'InstrumentationKey=00000000-0000-0000-0000-000000000000',
  'webApp.properties.defaultHostName': HOST,
  tabAppClientId: GUIDS.tab,
  "'https://${storage.name}.table.${environment().suffixes.storage}'":
    'https://sladeskdev1a2b3c.table.core.windows.net',
  "'https://${storage.name}.blob.${environment().suffixes.storage}'":
    'https://sladeskdev1a2b3c.blob.core.windows.net',
  "'Authorization=AAD;ClientId=${identity.properties.clientId}'": `Authorization=AAD;ClientId=${GUIDS.identity}`,
};

/** The parameter an operator setting's expression reads (each reads one). */
const paramOf = (expression: string): string => {
  const names = bicep.params.map((p) => p.name).filter((n) => new RegExp(`\\b${n}\\b`).test(expression));
  expect([expression, names.length]).toEqual([expression, 1]);
  return names[0] ?? '';
};

/** Evaluates the operator settings' two shapes of expression: a parameter, or an object parameter as JSON. */
function evaluate(expression: string, params: Readonly<Record<string, unknown>>): string {
  const name = paramOf(expression);
  const value = params[name];
  if (expression === name) return typeof value === 'string' ? value : JSON.stringify(value ?? '');
  if (expression === `empty(${name}) ? '' : string(${name})`) {
    const empty = typeof value === 'object' && value !== null && Object.keys(value).length === 0;
    return empty ? '' : JSON.stringify(value);
  }
  throw new Error(`the test cannot evaluate ${expression}`);
}

/** The web app's environment after a provision with `envValues` in env/.env.dev, as the toolkit and ARM make it. */
function provisioned(envValues: Readonly<Record<string, string>>): Record<string, string> {
  const envText = Object.entries({ ...dev, ...envValues })
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
  const values = parseDotenv(envText).values;
  // The toolkit replaces every placeholder by its text, then parses the file.
  const filled = parametersText.replace(/\$\{\{\s*([A-Z0-9_]+)\s*\}\}/g, (_, n: string) => values[n] ?? '');
  const parameters = parametersOf(filled, '');
  const params = Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, v.value]));
  const env: Record<string, string> = {};
  for (const { name, value } of fixed) {
    if (/^'[^'$]*'$/.test(value)) env[name] = value.slice(1, -1);
    else if (value in RESOLVED) env[name] = RESOLVED[value] ?? '';
    else throw new Error(`the test cannot resolve ${name}: ${value}`);
  }
  for (const { name, value } of operator) {
    const text = evaluate(value, params);
    if (text !== '') env[name] = text;
  }
  return env;
}

describe('every setting src/config.ts reads goes through provisioning', () => {
  const keys = Object.keys(envSchema.shape);

  it('is set by the template, passed from the env file, or said here why not (each in one way)', () => {
    expect(keys.length).toBeGreaterThan(40);
    for (const key of keys) {
      const ways = [
        fixed.some((s) => s.name === key) ? 'set by the template' : '',
        operator.some((s) => s.name === key) ? 'from env/.env.<env>' : '',
        key in NOT_PROVISIONED ? 'not provisioned' : '',
      ].filter((w) => w !== '');
      // A new setting: add a parameter, an operatorSettings entry, a placeholder in azure.parameters.json and a
      // line in env/.env.dev; or say above why production never sets it.
      expect([key, ways.length]).toEqual([key, 1]);
    }
    for (const name of Object.keys(NOT_PROVISIONED)) expect(keys).toContain(name);
  });

  it.each(operator.map((s) => [s.name, s.value] as const))(
    '%s: a parameter, filled from the env file by azure.parameters.json',
    (name, expression) => {
      const param = paramOf(expression);
      const declared = bicep.params.find((p) => p.name === param);
      expect(declared?.decorators.some((d) => d.startsWith(`@description('${name}`))).toBe(true);
      expect(declared?.defaultValue).toBeDefined();
      const entry = new RegExp(`"${param}": \\{ "value": ("?)\\$\\{\\{${name}\\}\\}\\1 \\}`);
      expect(parametersText).toMatch(entry);
      const settings = devText.slice(devText.indexOf("# SLA Desk's own settings"));
      expect(settings).toMatch(new RegExp(`^${name}=`, 'm'));
    },
  );

  it('what the operator writes in the env file arrives in the app unchanged, every setting of it', () => {
    expect(Object.keys(OPERATOR_ENV).sort()).toEqual(operator.map((s) => s.name).sort());
    const env = provisioned(OPERATOR_ENV);
    for (const [name, value] of Object.entries(OPERATOR_ENV))
      expect([name, env[name]]).toEqual([name, value]);
    const config = loadConfig(env);
    expect(config.production).toBe(true);
    expect(config.staff.groups).toEqual({ engineer: GUIDS.engineers, manager: GUIDS.managers });
    expect(config.rotation?.weeks).toEqual([{ primary: GUIDS.ann, secondary: GUIDS.bob }]);
    expect(config.oncall).toEqual({ manager: GUIDS.max, responders: [GUIDS.ann, GUIDS.bob] });
    expect(config.watcher).toEqual({
      intervalMs: 7000,
      leaseMs: 45000,
      tenantRate: 12,
      stuckAttempts: 8,
      retentionMs: 14 * 86_400_000,
    });
    expect(config.threadRepair).toEqual({ intervalMs: 60000, graceMs: 180000 });
    expect(config.delivery.alertMs).toBe(9 * 60_000);
    expect(config.tickets.ownerOnFirstReply).toBe(false);
    expect(config.graph).toEqual({
      endpoint: OPERATOR_ENV['GRAPH_ENDPOINT'],
      loginEndpoint: OPERATOR_ENV['LOGIN_ENDPOINT'],
    });
    expect(config.tabAuth).toMatchObject({
      audiences: [GUIDS.tab, OPERATOR_ENV['TAB_API_AUDIENCE']],
      jwksUrl: OPERATOR_ENV['TAB_AUTH_JWKS_URL'],
    });
    expect(config.tab).toEqual({ clientId: GUIDS.tab, domain: HOST });
  });

  it('a setting left empty is not set, so the app default applies (an empty number or URL would not parse)', () => {
    expect(resourceBody(bicep, 'webAppSettings')).toMatch(
      /toObject\(\s*filter\(items\(operatorSettings\), (\w+) => !empty\(\1\.value\)\),\s*\w+ => \w+\.key,\s*\w+ => \w+\.value,?\s*\)/,
    );
    const env = provisioned({});
    for (const { name } of operator.filter((s) => !['TICKET_PREFIX'].includes(s.name)))
      expect([name, env[name]]).toEqual([name, undefined]);
    const config = loadConfig(env);
    expect(config.watcher.intervalMs).toBe(5_000);
    expect(config.rotation).toBeUndefined();
    expect(config.graph.endpoint).toBe('https://graph.microsoft.com');
  });

  it('the on-call rotation is an object parameter: plain JSON in the env file, never a JSON string', () => {
    expect(bicep.params.find((p) => p.name === 'oncallRotation')).toMatchObject({
      type: 'object',
      defaultValue: '{}',
    });
    expect(unquotedPlaceholders(parametersText)).toEqual(['ONCALL_ROTATION']);
    expect(dev['ONCALL_ROTATION']).toBe('{}');
    expect(parametersOf(parametersText, devText)['oncallRotation']?.value).toEqual({});
    expect(devText).not.toMatch(/\\"/);
  });
});

describe('the web app', () => {
  it("TAB_DOMAIN is the site's real host name, which Azure gives it (never <name>.azurewebsites.net)", () => {
    expect(fixed.find((s) => s.name === 'TAB_DOMAIN')?.value).toBe('webApp.properties.defaultHostName');
    expect(bicep.withoutComments).not.toMatch(/azurewebsites\.net/);
    expect(bicep.outputs.find((o) => o.name === 'BOT_DOMAIN')?.expression).toBe(
      'webApp.properties.defaultHostName',
    );
    expect(resourceBody(bicep, 'webAppSettings')).toMatch(/parent:\s*webApp\b/);
    expect(resourceBody(bicep, 'webAppSettings')).toMatch(/name:\s*'appsettings'/);
    // The site itself sets none: one list, in one place.
    expect(resourceBody(bicep, 'webApp')).not.toMatch(/appSettings/);
  });

  it('App Service checks /readyz, and runs Node 22 LTS', () => {
    const web = resourceBody(bicep, 'webApp');
    expect(web).toMatch(/healthCheckPath:\s*'\/readyz'/);
    expect(web).toMatch(/linuxFxVersion:\s*'NODE\|22-lts'/);
  });

  it('Application Insights takes only Entra ID tokens; the identity may publish and the app signs in as it', () => {
    expect(resourceBody(bicep, 'insights')).toMatch(/DisableLocalAuth:\s*true/);
    const role = resourceBody(bicep, 'telemetryAccess');
    expect(role).toContain("'Microsoft.Authorization/roleAssignments@");
    expect(role).toMatch(/scope:\s*insights\b/);
    expect(role).toMatch(/principalId:\s*identity\.properties\.principalId/);
    expect(role).toMatch(/roleDefinitionId:.*metricsPublisher/);
    expect(bicep.withoutComments).toMatch(/var metricsPublisher = '3913510d-42f4-4e42-8a2a-d6d0b3e21f2e'/);
    const settings = new Map(fixed.map((s) => [s.name, s.value]));
    expect(settings.get('APPLICATIONINSIGHTS_AUTHENTICATION_STRING')).toBe(
      "'Authorization=AAD;ClientId=${identity.properties.clientId}'",
    );
    expect(settings.get('APPLICATIONINSIGHTS_CONNECTION_STRING')).toBe(
      'insights.properties.ConnectionString',
    );
    // The App Service agent would send a second copy (and needs a key): the app's own exporter sends it all.
    expect(settings.has('ApplicationInsightsAgent_EXTENSION_VERSION')).toBe(false);
    expect(resourceBody(bicep, 'webAppSettings')).toMatch(/dependsOn:\s*\[telemetryAccess\]/);
  });
});

describe('Microsoft Graph app roles of the managed identity', () => {
  /** The application permissions src/adapters/graph.ts says it needs, in its header. */
  const needed = [
    ...new Set(
      read('src/adapters/graph.ts')
        .split('\n')
        .filter((l) => l.startsWith('//'))
        .join(' ')
        .match(/\b[A-Z][A-Za-z]+(?:\.[A-Z][A-Za-z]+)*\.(?:Read|ReadWrite)\.All\b/g) ?? [],
    ),
  ].sort();

  it('are granted in Bicep with the Graph extension, one assignment per permission graph.ts needs', () => {
    expect(needed).toEqual(['GroupMember.Read.All', 'User.Read.All']);
    expect(bicep.withoutComments).toMatch(/^extension microsoftGraphV1$/m);
    const config = JSON.parse(read('infra/bicepconfig.json')) as { extensions: Record<string, string> };
    expect(config.extensions['microsoftGraphV1']).toMatch(
      /^br:mcr\.microsoft\.com\/bicep\/extensions\/microsoftgraph\/v1\.0:1\.\d+\.\d+$/,
    );
    expect(resourceBody(bicep, 'graph')).toMatch(
      /'Microsoft\.Graph\/servicePrincipals@v1\.0' existing = \{\s*appId: graphAppId\s*\}/,
    );
    expect(bicep.withoutComments).toMatch(/var graphAppId = '00000003-0000-0000-c000-000000000000'/);
    const assignments = bicep.resources.filter((r) => r.type === 'Microsoft.Graph/appRoleAssignedTo');
    const granted = assignments.map((r) => {
      const body = resourceBody(bicep, r.symbol);
      expect(body).toMatch(/= if \(readsStaffGroups\) \{/);
      expect(body).toMatch(/principalId:\s*identity\.properties\.principalId/);
      expect(body).toMatch(/resourceId:\s*graph\.id/);
      return /appRoleId: filter\(graph\.appRoles, (\w+) => \1\.value == '([^']+)'\)\[0\]\.id/.exec(body)?.[2];
    });
    expect(granted.sort()).toEqual(needed);
    // Only when staff groups are read: otherwise provision needs no right to grant app roles.
    expect(bicep.withoutComments).toMatch(
      /var readsStaffGroups = !empty\(staffEngineerGroup\) \|\| !empty\(staffManagerGroup\)/,
    );
  });

  it('the toolkit compiles with a Bicep that has the extension (0.36.1 or newer)', () => {
    const file = parseYaml(read('teamsapp.yml')) as {
      provision: { uses: string; with?: Record<string, unknown> }[];
    };
    const version = String(file.provision.find((s) => s.uses === 'arm/deploy')?.with?.['bicepCliVersion']);
    const [major, minor, patch] = (/^v(\d+)\.(\d+)\.(\d+)$/.exec(version) ?? []).slice(1).map(Number);
    expect([major, minor, patch].every((n) => Number.isInteger(n))).toBe(true);
    expect((major ?? 0) * 1e6 + (minor ?? 0) * 1e3 + (patch ?? 0)).toBeGreaterThanOrEqual(36_001);
  });
});

describe('only Teams may speak for a tenant', () => {
  it('Web Chat and Direct Line are declared with their site disabled; Teams is the one channel on', () => {
    const channels = bicep.resources.filter((r) => r.type === 'Microsoft.BotService/botServices/channels');
    expect(channels.map((c) => c.symbol).sort()).toEqual([
      'directLineChannel',
      'teamsChannel',
      'webChatChannel',
    ]);
    for (const [symbol, name] of [
      ['webChatChannel', 'WebChatChannel'],
      ['directLineChannel', 'DirectLineChannel'],
    ] as const) {
      const body = resourceBody(bicep, symbol);
      expect(body).toMatch(/parent:\s*bot\b/);
      expect(body).toMatch(new RegExp(`name:\\s*'${name}'`));
      expect(body).toMatch(new RegExp(`channelName:\\s*'${name}'`));
      expect(body).toMatch(/sites:\s*\[\s*\{\s*siteName:\s*'Default Site'\s*isEnabled:\s*false/);
      expect(body).not.toMatch(/:\s*true\b/);
    }
    expect(resourceBody(bicep, 'webChatChannel')).toMatch(/isWebchatPreviewEnabled:\s*false/);
    expect(resourceBody(bicep, 'directLineChannel')).toMatch(/isV1Enabled:\s*false\s*isV3Enabled:\s*false/);
    expect(resourceBody(bicep, 'teamsChannel')).toMatch(/isEnabled:\s*true/);
  });
});

describe('Node 22 LTS on every path', () => {
  it('package.json: Node 22 to run, Node 20.19+ still accepted for development; no Node binary as a dependency', () => {
    const pkg = JSON.parse(read('package.json')) as {
      engines: { node: string };
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.engines.node).toBe('^22.11.0 || ^20.19.0');
    expect(pkg.devDependencies['@types/node']).toMatch(/^\^22\./);
    const all = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
    expect(all.filter((n) => /^node-(linux|darwin|win)/.test(n))).toEqual([]);
  });

  it('CI runs the jest suite on Node 22 from .ci/.node22 (git-ignored), the rest on the system Node', () => {
    const ci = read('.ci/run');
    const version = /^NODE22_VERSION=(\S+)$/m.exec(ci)?.[1];
    expect(version).toMatch(/^22\.\d+\.\d+$/);
    expect(ci).toMatch(
      /npm install --no-save [^\n]*--prefix \.ci\/\.node22 "\$NODE22_PACKAGE@\$NODE22_VERSION"/,
    );
    expect(ci).toMatch(/^export REQUIRE_NODE22=1$/m);
    expect(ci).toMatch(/^PATH="\$NODE22_DIR:\$PATH" npm test -- --ci$/m);
    expect(ci).toMatch(/^npm run lint$/m);
    expect(ci).toMatch(/^npm run typecheck$/m);
    expect(ci).toMatch(/npm run test:faults$/m);
    expect(read('.gitignore').split('\n')).toContain('.ci/.node22/');
  });

  it('the docs name Node 22 as the runtime; Node 20 only for development', () => {
    for (const file of [
      'infra/README.md',
      'README.md',
      'docs/operations.md',
      'teamsapp.yml',
      'infra/azure.bicep',
    ]) {
      const text = read(file);
      expect([file, /NODE\|20/.test(text)]).toEqual([file, false]);
      // Each line that names Node 20 says it is for development, or names Node 22 beside it.
      const lines = text.split('\n').filter((l) => /Node 20\b/.test(l));
      expect(lines.filter((l) => !/development|Node 22/.test(l))).toEqual([]);
    }
    expect(read('infra/README.md')).toMatch(/Node 22 LTS \(`NODE\\\|22-lts`\)/);
  });
});

describe('the local bot (teamsapp.local.yml): single tenant, as Microsoft accepts it now', () => {
  interface Step {
    readonly uses: string;
    readonly with?: Record<string, unknown>;
    readonly writeToEnvironmentFile?: Record<string, string>;
  }
  const text = read('teamsapp.local.yml');
  const steps = (parseYaml(text) as { provision: Step[] }).provision;

  it('an Entra app of the vendor tenant with a service principal, registered by botFramework/create', () => {
    expect(steps.some((s) => s.uses === 'botAadApp/create')).toBe(false);
    const app = steps.find(
      (s) => s.uses === 'aadApp/create' && s.writeToEnvironmentFile?.['clientId'] === 'BOT_ID',
    );
    expect(app?.with).toMatchObject({
      generateClientSecret: true,
      generateServicePrincipal: true,
      signInAudience: 'AzureADMyOrg',
    });
    expect(app?.writeToEnvironmentFile).toEqual({
      clientId: 'BOT_ID',
      clientSecret: 'SECRET_BOT_PASSWORD',
      objectId: 'BOT_OBJECT_ID',
      tenantId: 'BOT_TENANT_ID',
    });
    const registration = steps.find((s) => s.uses === 'botFramework/create');
    expect(registration?.with).toMatchObject({ botId: '${{BOT_ID}}', channels: [{ name: 'msteams' }] });
    expect(steps.indexOf(app as Step)).toBeLessThan(steps.indexOf(registration as Step));
  });

  it('.localConfigs makes the app a SingleTenant bot of that tenant, which src/config.ts accepts', () => {
    const configs = steps.find((s) => s.uses === 'file/createOrUpdateEnvironmentFile');
    const envs = (configs?.with?.['envs'] ?? {}) as Record<string, string | number>;
    expect(envs).toMatchObject({
      BOT_ID: '${{BOT_ID}}',
      BOT_PASSWORD: '${{SECRET_BOT_PASSWORD}}',
      BOT_TYPE: 'SingleTenant',
      BOT_TENANT_ID: '${{BOT_TENANT_ID}}',
    });
    const written: Record<string, string> = {
      BOT_ID: GUIDS.identity,
      SECRET_BOT_PASSWORD: 'not-a-real-secret',
      BOT_TENANT_ID: GUIDS.tenant,
      BOT_DOMAIN: 'abc123-3978.euw.devtunnels.ms',
      AAD_APP_CLIENT_ID: GUIDS.tab,
    };
    const env = Object.fromEntries(
      Object.entries(envs).map(([k, v]) => [
        k,
        String(v).replace(/\$\{\{(\w+)\}\}/g, (_, n: string) => written[n] ?? ''),
      ]),
    );
    expect(loadConfig(env).bot).toEqual({
      mode: 'authenticated',
      appId: GUIDS.identity,
      password: 'not-a-real-secret',
      type: 'SingleTenant',
      tenantId: GUIDS.tenant,
    });
    for (const name of ['BOT_OBJECT_ID', 'BOT_TENANT_ID'])
      expect(read('env/.env.local')).toMatch(new RegExp(`^${name}=$`, 'm'));
  });

  it.each(['teamsapp.yml', 'teamsapp.local.yml', 'teamsapp.playground.yml'])(
    '%s follows the Agents Toolkit schema v1.11, as its current bot templates do',
    (file) => {
      const yml = read(file);
      expect(yml.split('\n')[0]).toBe(
        '# yaml-language-server: $schema=https://aka.ms/m365-agents-toolkits/v1.11/yaml.schema.json',
      );
      expect((parseYaml(yml) as { version: string }).version).toBe('v1.11');
    },
  );

  it('the README says which toolkit and CLI versions the files were written for', () => {
    const readme = read('README.md');
    expect(readme).toMatch(/Microsoft 365 Agents Toolkit/);
    expect(readme).toMatch(/@microsoft\/m365agentstoolkit-cli@\d+\.\d+\.\d+/);
    expect(readme).toMatch(/schema v1\.11/);
  });
});
