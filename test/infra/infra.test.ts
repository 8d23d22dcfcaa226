// What can be checked of the deployment offline (no Bicep compiler, no Azure): infra/azure.bicep's parameters,
// outputs and resources against infra/azure.parameters.json, the toolkit files and env files, the app's own
// configuration (src/config.ts accepts what the template sets), and no secret in any committed file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseDotenv } from '../../src/cli/dotenv';
import { loadConfig } from '../../src/config';
import { appSettings, lambdaParams, parseBicep, resourceBody, uses, varBody, type Bicep } from './bicep';
import { parametersOf, writtenBy } from './toolkit';

const ROOT = join(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const names = (text: string): string[] => [
  ...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '')),
];

const bicep: Bicep = parseBicep(read('infra/azure.bicep'));
const parameterValues = parametersOf(read('infra/azure.parameters.json'), read('env/.env.dev'));
/** The web app's settings: the fixed ones of the appsettings resource, then the operator's (README, Configuration). */
const webSettings = (): { name: string; value: string }[] => [
  ...appSettings(resourceBody(bicep, 'webAppSettings')),
  ...appSettings(varBody(bicep, 'operatorSettings')),
];

interface Step {
  readonly uses: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly writeToEnvironmentFile?: Record<string, string>;
}
interface ToolkitFile {
  readonly version: string;
  readonly environmentFolderPath?: string;
  readonly provision?: Step[];
  readonly deploy?: Step[];
  readonly publish?: Step[];
}
const toolkit = (file: string): ToolkitFile => parseYaml(read(file)) as ToolkitFile;
const envFile = (name: string): Record<string, string> => {
  const { values, problems } = parseDotenv(read(`env/${name}`));
  expect(problems).toEqual([]);
  return values;
};

/** Names the toolkit supplies itself: the environment's name, and the permission id aadApp/update makes up. */
const BUILT_IN = new Set(['TEAMSFX_ENV', 'AAD_APP_ACCESS_AS_USER_PERMISSION_ID']);
const ASKED = new Set(['AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP_NAME']);

describe('infra/azure.bicep and its parameters', () => {
  it('declares every parameter it uses, and uses every parameter it declares', () => {
    expect(bicep.params.length).toBeGreaterThan(10);
    for (const p of bicep.params) {
      // The declaration is one use; a parameter nothing reads would be a setting that does nothing.
      expect([p.name, uses(bicep, p.name)]).toEqual([p.name, expect.any(Number)]);
      expect([p.name, uses(bicep, p.name) > 1]).toEqual([p.name, true]);
    }
    // Every name an expression starts from is a parameter, variable or resource of the file.
    const declared = new Set([
      ...bicep.params.map((p) => p.name),
      ...bicep.resources.map((r) => r.symbol),
      ...[...bicep.code.matchAll(/^var\s+(\w+)/gm)].map((m) => m[1] ?? ''),
      ...lambdaParams(bicep),
    ]);
    const roots = [...bicep.code.matchAll(/(?:[:(,[=?]|\$\{| {2})\s*([a-z][A-Za-z0-9]*)\b(?!\s*[(:'])/g)]
      .map((m) => m[1] ?? '')
      .filter(
        (n) => !['true', 'false', 'null', 'if', 'for', 'in', 'string', 'int', 'bool', 'object'].includes(n),
      );
    expect(roots.length).toBeGreaterThan(30);
    expect([...new Set(roots.filter((n) => !declared.has(n)))]).toEqual([]);
  });

  it('every parameter in azure.parameters.json is declared, with a value of its type and within its limits', () => {
    const byName = new Map(bicep.params.map((p) => [p.name, p]));
    for (const [name, { value }] of Object.entries(parameterValues)) {
      const param = byName.get(name);
      expect([name, param === undefined ? 'undeclared' : 'declared']).toEqual([name, 'declared']);
      if (param === undefined) continue;
      expect(param.secure).toBe(false);
      if (param.type === 'object') {
        // Placed unquoted in the file: the env file holds JSON (its value is read in, as the toolkit does).
        expect([name, typeof value, Array.isArray(value)]).toEqual([name, 'object', false]);
      } else if (param.type === 'int') {
        expect([name, typeof value]).toEqual([name, 'number']);
        const n = value as number;
        if (param.minValue !== undefined) expect(n).toBeGreaterThanOrEqual(param.minValue);
        if (param.maxValue !== undefined) expect(n).toBeLessThanOrEqual(param.maxValue);
      } else {
        expect([name, param.type, typeof value]).toEqual([name, 'string', 'string']);
        const text = value as string;
        if (param.allowed !== undefined && names(text).length === 0) expect(param.allowed).toContain(text);
        // A filled-in value: the longest environment name the README allows ("staging") must fit.
        const filled = text.replace(PLACEHOLDER, (_, v: string) => (v === 'TEAMSFX_ENV' ? 'staging' : ''));
        if (param.maxLength !== undefined) expect(filled.length).toBeLessThanOrEqual(param.maxLength);
      }
    }
  });

  it('every parameter without a default is given a value', () => {
    const required = bicep.params.filter((p) => p.defaultValue === undefined).map((p) => p.name);
    expect(required.sort()).toEqual(['botDisplayName', 'resourceBaseName', 'tabAppClientId']);
    for (const name of required) expect(Object.keys(parameterValues)).toContain(name);
  });

  it('every placeholder in azure.parameters.json is declared in env/.env.dev', () => {
    const dev = envFile('.env.dev');
    for (const name of names(read('infra/azure.parameters.json'))) {
      expect([name, name in dev || BUILT_IN.has(name)]).toEqual([name, true]);
    }
  });

  it('an App Service plan on Linux with Always On, Node 22 LTS and the instance count as a parameter', () => {
    const plan = resourceBody(bicep, 'plan');
    expect(plan).toContain("'Microsoft.Web/serverfarms@");
    expect(plan).toMatch(/kind:\s*'linux'/);
    expect(plan).toMatch(/reserved:\s*true/);
    expect(plan).toMatch(/capacity:\s*instanceCount/);
    const count = bicep.params.find((p) => p.name === 'instanceCount');
    expect(count).toMatchObject({ type: 'int', minValue: 1 });
    expect(count?.maxValue).toBeGreaterThan(1);
    const web = resourceBody(bicep, 'webApp');
    expect(web).toMatch(/linuxFxVersion:\s*'NODE\|22-lts'/);
    expect(web).toMatch(/alwaysOn:\s*true/);
    expect(web).toMatch(/httpsOnly:\s*true/);
    expect(web).toMatch(/healthCheckPath:\s*'\/readyz'/);
    expect(web).toMatch(/ftpsState:\s*'Disabled'/);
    expect(web).toMatch(/appCommandLine:\s*'node [^']*dist\/index\.js'/);
  });

  it('storage: Table service through Entra ID only (no shared key), and the role for the app identity', () => {
    const storage = resourceBody(bicep, 'storage');
    expect(storage).toMatch(/allowSharedKeyAccess:\s*false/);
    expect(storage).toMatch(/minimumTlsVersion:\s*'TLS1_2'/);
    expect(storage).toMatch(/allowBlobPublicAccess:\s*false/);
    expect(resourceBody(bicep, 'tableService')).toContain(
      "'Microsoft.Storage/storageAccounts/tableServices@",
    );
    const role = resourceBody(bicep, 'tableAccess');
    expect(role).toContain("'Microsoft.Authorization/roleAssignments@");
    expect(role).toMatch(/scope:\s*storage\b/);
    expect(role).toMatch(/principalId:\s*identity\.properties\.principalId/);
    expect(role).toMatch(/roleDefinitionId:.*tableDataContributor/);
    expect(bicep.withoutComments).toMatch(
      /var tableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'/,
    );
    // The web app runs as that identity and finds it by client id.
    const web = resourceBody(bicep, 'webApp');
    expect(web).toMatch(/userAssignedIdentities:\s*\{\s*'\$\{identity\.id\}':\s*\{\}\s*\}/);
    const settings = new Map(webSettings().map((s) => [s.name, s.value]));
    expect(settings.get('TABLES_ENDPOINT')).toMatch(/^'https:\/\/\$\{storage\.name\}\.table\./);
    expect(settings.get('AZURE_CLIENT_ID')).toBe('identity.properties.clientId');
    expect(settings.has('TABLES_CONNECTION_STRING')).toBe(false);
  });

  it('the Azure Bot: a managed identity (no multi-tenant app, no secret) and the Teams channel', () => {
    const bot = resourceBody(bicep, 'bot');
    expect(bot).toContain("'Microsoft.BotService/botServices@");
    expect(bot).toMatch(/msaAppType:\s*'UserAssignedMSI'/);
    expect(bot).not.toMatch(/MultiTenant/);
    expect(bot).toMatch(/msaAppId:\s*identity\.properties\.clientId/);
    expect(bot).toMatch(/msaAppMSIResourceId:\s*identity\.id/);
    expect(bot).toMatch(/msaAppTenantId:\s*identity\.properties\.tenantId/);
    expect(bot).toMatch(/endpoint:\s*'https:\/\/\$\{webApp\.properties\.defaultHostName\}\/api\/messages'/);
    const channel = resourceBody(bicep, 'teamsChannel');
    expect(channel).toMatch(/parent:\s*bot\b/);
    expect(channel).toMatch(/channelName:\s*'MsTeamsChannel'/);
    expect(channel).toMatch(/isEnabled:\s*true/);
  });

  it('Application Insights on a Log Analytics workspace, and the web app logs sent there', () => {
    expect(resourceBody(bicep, 'insights')).toMatch(/WorkspaceResourceId:\s*logs\.id/);
    expect(resourceBody(bicep, 'logs')).toContain("'Microsoft.OperationalInsights/workspaces@");
    const diag = resourceBody(bicep, 'webAppLogs');
    expect(diag).toMatch(/scope:\s*webApp\b/);
    expect(diag).toContain("'AppServiceConsoleLogs'");
    const settings = new Map(webSettings().map((s) => [s.name, s.value]));
    expect(settings.get('APPLICATIONINSIGHTS_CONNECTION_STRING')).toBe(
      'insights.properties.ConnectionString',
    );
  });
});

describe('the web app settings', () => {
  const settings = webSettings();
  const configKeys = new Set(
    [...read('src/config-env.ts').matchAll(/^ {2}([A-Z][A-Z0-9_]+): /gm)].map((m) => m[1] ?? ''),
  );
  /** Read by App Service, the Application Insights agent or npm, not by src/config.ts. */
  const PLATFORM = new Set([
    'WEBSITES_PORT',
    'WEBSITE_RUN_FROM_PACKAGE',
    'SCM_DO_BUILD_DURING_DEPLOYMENT',
    'APPLICATIONINSIGHTS_CONNECTION_STRING',
    'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
    // Read by the Azure Monitor exporter itself: no usage statistics of its own sent to Microsoft.
    'APPLICATIONINSIGHTS_STATSBEAT_DISABLED',
  ]);

  it('are the names src/config.ts reads (or App Service its own), each once', () => {
    expect(settings.length).toBeGreaterThan(15);
    const seen = settings.map((s) => s.name);
    expect(new Set(seen).size).toBe(seen.length);
    for (const { name } of settings)
      expect([name, configKeys.has(name) || PLATFORM.has(name)]).toEqual([name, true]);
    for (const key of ['NODE_ENV', 'BOT_ID', 'BOT_TYPE', 'BOT_TENANT_ID', 'TABLES_ENDPOINT', 'HOST', 'PORT'])
      expect(seen).toContain(key);
  });

  it('make a valid production configuration: authenticated bot as a managed identity, tables by identity', () => {
    // Literal values as written; expressions as Azure would resolve them; parameters empty or defaulted.
    const resolved: Record<string, string> = {
      'identity.properties.clientId': '7a4f2c1e-9b3d-4e5f-8a6b-1c2d3e4f5a6b',
      'identity.properties.tenantId': '3c9d1e2f-4a5b-4c6d-9e7f-0a1b2c3d4e5f',
      'insights.properties.ConnectionString': 'InstrumentationKey=00000000-0000-0000-0000-000000000000',
      // A site created since late 2024 gets a unique regional host name, not <name>.azurewebsites.net.
      'webApp.properties.defaultHostName':
        'sladesk-dev-1a2b3c-h7fzcxbvdkdva8gq.westeurope-01.azurewebsites.net',
      tabAppClientId: 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f',
      ticketPrefix: 'TM',
    };
    const env: Record<string, string> = {};
    for (const { name, value } of settings) {
      if (/^'[^'$]*'$/.test(value)) env[name] = value.slice(1, -1);
      else if (value in resolved) env[name] = resolved[value] ?? '';
      else if (value.startsWith("'https://${storage.name}.table."))
        env[name] = 'https://sladeskdev1a2b3c.table.core.windows.net';
      else env[name] = '';
    }
    // An operator setting left empty is not set at all (the appsettings resource filters it out).
    const operator = new Set(appSettings(varBody(bicep, 'operatorSettings')).map((s) => s.name));
    const config = loadConfig(
      Object.fromEntries(Object.entries(env).filter(([name, v]) => v !== '' || !operator.has(name))),
    );
    expect(config.production).toBe(true);
    expect(config.loopback).toBe(false);
    expect(config.bot).toEqual({
      mode: 'authenticated',
      appId: resolved['identity.properties.clientId'],
      password: undefined,
      type: 'UserAssignedMSI',
      tenantId: resolved['identity.properties.tenantId'],
    });
    expect(config.storage).toEqual({
      kind: 'managed-identity',
      endpoint: 'https://sladeskdev1a2b3c.table.core.windows.net',
      clientId: resolved['identity.properties.clientId'],
    });
    expect(config.logJson).toBe(true);
    expect(config.port).toBe(8080);
    expect(config.tab).toEqual({
      clientId: resolved['tabAppClientId'],
      domain: resolved['webApp.properties.defaultHostName'],
    });
  });
});

describe('the toolkit files', () => {
  /**
   * Walks the steps of a stage in order: every ${{NAME}} a step reads must be declared in the env file, set by
   * the step's `env:`, written by an earlier step, or built in. Returns what the stage wrote.
   */
  function walk(
    steps: readonly Step[],
    declared: ReadonlySet<string>,
    outputs: ReadonlySet<string>,
    settings: ReadonlySet<string> = new Set(),
  ): string[] {
    const written: string[] = [];
    for (const step of steps) {
      const local = new Set(Object.keys(step.env ?? {}));
      const known = (name: string): boolean =>
        declared.has(name) || local.has(name) || written.includes(name) || BUILT_IN.has(name);
      for (const name of names(JSON.stringify({ with: step.with ?? {}, env: step.env ?? {} }))) {
        // The toolkit asks for the subscription and the resource group when they are empty.
        const asked = step.uses === 'arm/deploy' && ASKED.has(name);
        expect([step.uses, name, known(name) || asked]).toEqual([step.uses, name, true]);
      }
      if (step.uses === 'arm/deploy') {
        // The parameters file: settings may be empty (the app has defaults); ids must be written by then.
        for (const name of names(read('infra/azure.parameters.json'))) {
          expect([name, known(name) || settings.has(name)]).toEqual([name, true]);
        }
        written.push(...outputs);
      }
      written.push(...writtenBy(step));
    }
    return written;
  }

  const outputs = new Set(bicep.outputs.map((o) => o.name));

  it('teamsapp.yml: provision creates the Teams app and the SSO app, deploys the bicep, packages and updates', () => {
    const file = toolkit('teamsapp.yml');
    expect(file.version).toBe('v1.11');
    const provision = (file.provision ?? []).map((s) => s.uses);
    expect(provision).toEqual([
      'teamsApp/create',
      'aadApp/create',
      'arm/deploy',
      'aadApp/update',
      'script',
      'teamsApp/validateManifest',
      'teamsApp/zipAppPackage',
      'teamsApp/validateAppPackage',
      'teamsApp/update',
    ]);
    const arm = (file.provision ?? []).find((s) => s.uses === 'arm/deploy');
    expect(arm?.with).toMatchObject({
      subscriptionId: '${{AZURE_SUBSCRIPTION_ID}}',
      resourceGroupName: '${{AZURE_RESOURCE_GROUP_NAME}}',
      templates: [{ path: './infra/azure.bicep', parameters: './infra/azure.parameters.json' }],
    });
    expect((file.deploy ?? []).map((s) => s.uses)).toEqual([
      'cli/runNpmCommand',
      'cli/runNpmCommand',
      'cli/runNpmCommand',
      'cli/runNpmCommand',
      'cli/runNpmCommand',
      'azureAppService/zipDeploy',
    ]);
    expect((file.publish ?? []).map((s) => s.uses).at(-1)).toBe('teamsApp/publishAppPackage');
  });

  it('teamsapp.yml reads only names env/.env.dev declares, its actions write, or the bicep outputs', () => {
    const file = toolkit('teamsapp.yml');
    const dev = envFile('.env.dev');
    const declaredNonEmpty = new Set(
      Object.entries(dev)
        .filter(([, v]) => v !== '')
        .map(([k]) => k),
    );
    // Names left empty in the env file must be written by provision (or asked for, like the subscription).
    // SLA Desk's own settings (the env file's last section) may stay empty: the app has defaults.
    const text = read('env/.env.dev');
    const settings = new Set(
      [...text.slice(text.indexOf('# SLA Desk')).matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] ?? ''),
    );
    const written = new Set(walk(file.provision ?? [], declaredNonEmpty, outputs, settings));
    for (const stage of [file.deploy ?? [], file.publish ?? []])
      walk(stage, new Set([...declaredNonEmpty, ...written]), outputs);
    // Every output the file and the manifests read exists in the bicep.
    for (const name of ['BOT_ID', 'BOT_DOMAIN', 'BOT_AZURE_APP_SERVICE_RESOURCE_ID'])
      expect(outputs).toContain(name);
    // arm/deploy writes each output under its name in upper case: written so, the names match exactly.
    for (const o of bicep.outputs) expect(o.name).toMatch(/^[A-Z][A-Z0-9_]*$/);
    expect(bicep.outputs.every((o) => o.type === 'string')).toBe(true);
    const manifestNames = [
      ...names(read('appPackage/manifest.json')),
      ...names(read('appPackage/aad.manifest.json')),
    ];
    const tabEnv = new Set(
      Object.keys((file.provision ?? []).find((s) => s.uses === 'aadApp/update')?.env ?? {}),
    );
    for (const name of manifestNames) {
      const known = written.has(name) || declaredNonEmpty.has(name) || tabEnv.has(name) || BUILT_IN.has(name);
      expect([name, known]).toEqual([name, true]);
    }
  });

  it('every name env/.env.dev declares as "written by provision" is written by an action or an output', () => {
    const file = toolkit('teamsapp.yml');
    const text = read('env/.env.dev');
    const section = text.slice(text.indexOf('# Written by provision'), text.indexOf('# SLA Desk'));
    const writtenByFile = new Set([
      ...[...(file.provision ?? []), ...(file.publish ?? [])].flatMap((s) => writtenBy(s)),
      ...outputs,
    ]);
    const promised = [...section.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] ?? '');
    expect(promised.length).toBeGreaterThan(10);
    for (const name of promised) expect([name, writtenByFile.has(name)]).toEqual([name, true]);
    for (const name of outputs) expect([name, name in envFile('.env.dev')]).toEqual([name, true]);
  });

  it('teamsapp.local.yml and teamsapp.playground.yml read only names their env files declare or they write', () => {
    for (const [yml, env] of [
      ['teamsapp.local.yml', '.env.local'],
      ['teamsapp.playground.yml', '.env.playground'],
    ] as const) {
      const file = toolkit(yml);
      expect(file.version).toBe('v1.11');
      const declared = new Set(Object.keys(envFile(env)));
      const written = walk(file.provision ?? [], declared, new Set());
      walk(file.deploy ?? [], new Set([...declared, ...written]), new Set());
    }
    const local = toolkit('teamsapp.local.yml');
    const configs = (local.provision ?? []).find((s) => s.uses === 'file/createOrUpdateEnvironmentFile');
    const envs = (configs?.with?.['envs'] ?? {}) as Record<string, unknown>;
    expect(configs?.with?.['target']).toBe('./.localConfigs');
    expect(envs).toMatchObject({ BOT_ID: '${{BOT_ID}}', BOT_PASSWORD: '${{SECRET_BOT_PASSWORD}}' });
    expect(toolkit('teamsapp.playground.yml').deploy?.map((s) => s.uses)).toEqual(['cli/runNpmCommand']);
  });

  it('the deploy stage uploads the staged bundle that `npm run bundle` writes, built by `npm run build`', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts['build']).toBe('tsc -p tsconfig.build.json');
    expect(pkg.scripts['bundle']).toBe('tsx src/cli/bundle.ts');
    const deploy = toolkit('teamsapp.yml').deploy ?? [];
    expect(deploy.map((s) => s.with?.['args'])).toEqual([
      'ci --include=dev --no-audit --no-fund',
      'run build',
      'run build:tab --if-present',
      'run bundle',
      'ci --omit=dev --no-audit --no-fund',
      undefined,
    ]);
    expect(deploy[4]?.with?.['workingDirectory']).toBe('./.deploy');
    // The toolkit exports the env file to these npm runs: NODE_ENV=production there would drop the build tools.
    expect(envFile('.env.dev')).not.toHaveProperty('NODE_ENV');
    expect(deploy[5]?.with).toEqual({
      artifactFolder: './.deploy',
      resourceId: '${{BOT_AZURE_APP_SERVICE_RESOURCE_ID}}',
    });
  });
});

describe('no secret in a committed file', () => {
  const FILES = [
    'infra/azure.bicep',
    'infra/azure.parameters.json',
    'teamsapp.yml',
    'teamsapp.local.yml',
    'teamsapp.playground.yml',
    'env/.env.dev',
    'env/.env.local',
    'env/.env.playground',
    'appPackage/manifest.json',
    'appPackage/aad.manifest.json',
  ];

  it.each(FILES)('%s holds no key, password, connection string or token', (file) => {
    const text = read(file);
    expect(text).not.toMatch(/AccountKey\s*=/i);
    expect(text).not.toMatch(/SharedAccessSignature|[?&]sig=[A-Za-z0-9%]/);
    expect(text).not.toMatch(/DefaultEndpointsProtocol=/);
    expect(text).not.toMatch(/listKeys\(|listConnectionStrings\(/);
    expect(text).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
    // A JWT or a client secret (Entra secrets have a ~ after three characters and run to 40).
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./);
    expect(text).not.toMatch(/\b[A-Za-z0-9_-]{3}~[A-Za-z0-9_.~-]{34,}/);
  });

  it.each(['env/.env.dev', 'env/.env.local', 'env/.env.playground'])(
    '%s sets no secret-like variable (those go to the git-ignored .user file)',
    (file) => {
      const values = envFile(file.slice('env/'.length));
      for (const [key, value] of Object.entries(values)) {
        if (/SECRET|PASSWORD|KEY|TOKEN|CONNECTION_STRING/.test(key)) expect([key, value]).toEqual([key, '']);
      }
    },
  );

  it('the bicep takes no secret parameter and puts no password or key in the app settings', () => {
    expect(bicep.params.filter((p) => p.secure || /password|secret|key/i.test(p.name))).toEqual([]);
    const names = webSettings().map((s) => s.name);
    expect(
      names.filter(
        (n) =>
          /PASSWORD|SECRET|KEY|CONNECTION_STRING/.test(n) && n !== 'APPLICATIONINSIGHTS_CONNECTION_STRING',
      ),
    ).toEqual([]);
    expect(
      bicep.outputs.filter((o) => /password|secret|key|connection/i.test(o.name + o.expression)),
    ).toEqual([]);
  });

  it('.gitignore keeps the .user env files, generated configs and build output out of git', () => {
    const ignored = read('.gitignore').split('\n');
    for (const entry of [
      'env/.env.*.user',
      '.localConfigs',
      '.localConfigs.*',
      'appPackage/build/',
      '.deploy/',
      'dist/',
    ])
      expect(ignored).toContain(entry);
  });
});
