// src/config.ts: the bot identity settings each BOT_TYPE needs, the storage identity, the tab's SSO app.
import { loadConfig } from '../src/config';

const TENANT = '3c9d1e2f-4a5b-4c6d-9e7f-0a1b2c3d4e5f';
const ID = '7a4f2c1e-9b3d-4e5f-8a6b-1c2d3e4f5a6b';
const AZURE = {
  NODE_ENV: 'production',
  HOST: '0.0.0.0',
  TABLES_ENDPOINT: 'https://acct.table.core.windows.net',
};

describe('the bot identity', () => {
  it('UserAssignedMSI (Azure): the managed identity client id and tenant, no password', () => {
    const config = loadConfig({ ...AZURE, BOT_ID: ID, BOT_TYPE: 'UserAssignedMSI', BOT_TENANT_ID: TENANT });
    expect(config.bot).toEqual({
      mode: 'authenticated',
      appId: ID,
      password: undefined,
      type: 'UserAssignedMSI',
      tenantId: TENANT,
    });
  });

  it.each([
    [{ BOT_TYPE: 'UserAssignedMSI' }, /BOT_TYPE UserAssignedMSI needs BOT_TENANT_ID/],
    [
      { BOT_TYPE: 'UserAssignedMSI', BOT_TENANT_ID: TENANT, BOT_PASSWORD: 'x' },
      /UserAssignedMSI takes no BOT_PASSWORD/,
    ],
    [{ BOT_TYPE: 'SingleTenant', BOT_PASSWORD: 'x' }, /BOT_TYPE SingleTenant needs BOT_TENANT_ID/],
    [{ BOT_TYPE: 'SingleTenant', BOT_TENANT_ID: TENANT }, /SingleTenant needs BOT_PASSWORD/],
    [{ BOT_TYPE: 'MultiTenantish' }, /BOT_TYPE/],
  ])('%o is refused, naming the key', (env, message) => {
    expect(() => loadConfig({ ...AZURE, BOT_ID: ID, ...env })).toThrow(message);
  });

  it('SingleTenant with its tenant and secret, and MultiTenant (Developer Portal, tunnels) still load', () => {
    expect(
      loadConfig({ ...AZURE, BOT_ID: ID, BOT_TYPE: 'SingleTenant', BOT_TENANT_ID: TENANT, BOT_PASSWORD: 's' })
        .bot,
    ).toMatchObject({ type: 'SingleTenant', tenantId: TENANT, password: 's' });
    expect(loadConfig({ BOT_ID: ID, BOT_PASSWORD: 's' }).bot).toMatchObject({ type: 'MultiTenant' });
  });
});

describe('Azure settings', () => {
  it('AZURE_CLIENT_ID names the managed identity that reaches TABLES_ENDPOINT', () => {
    const env = { ...AZURE, BOT_ID: ID, BOT_TYPE: 'UserAssignedMSI', BOT_TENANT_ID: TENANT };
    expect(loadConfig({ ...env, AZURE_CLIENT_ID: ID }).storage).toEqual({
      kind: 'managed-identity',
      endpoint: AZURE.TABLES_ENDPOINT,
      clientId: ID,
    });
    expect(loadConfig({ ...env, AZURE_CLIENT_ID: '' }).storage).toMatchObject({ clientId: undefined });
  });

  it("the tab's SSO app: AAD_APP_CLIENT_ID and TAB_DOMAIN, unset locally", () => {
    expect(loadConfig({}).tab).toEqual({ clientId: undefined, domain: undefined });
    expect(loadConfig({ AAD_APP_CLIENT_ID: ID, TAB_DOMAIN: 'sla.example.com' }).tab).toEqual({
      clientId: ID,
      domain: 'sla.example.com',
    });
  });
});
