// OpenTelemetry to Application Insights (@azure/monitor-opentelemetry) when APPLICATIONINSIGHTS_CONNECTION_STRING
// is set; nothing at all (not even a module load) when not. src/index.ts runs it before it loads the app, so the
// http instrumentation sees restify's server and the Azure SDK's requests.
import { envSchema } from './config';
import { redactedSpanAttributes } from './adapters/http/redact';

export type Telemetry =
  | { readonly started: false }
  | {
      readonly started: true;
      /** The managed identity the exporter signs in as (Application Insights with local auth off), if any. */
      readonly clientId: string | undefined;
      stop(): Promise<void>;
    };

const settings = envSchema.pick({
  APPLICATIONINSIGHTS_CONNECTION_STRING: true,
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: true,
});

/** The client id in `Authorization=AAD;ClientId=<id>`, or undefined (no AAD authentication asked). */
export function aadClientId(authentication: string | undefined): string | undefined {
  if (authentication === undefined) return undefined;
  const parts = new Map(
    authentication.split(';').map((p) => {
      const at = p.indexOf('=');
      return [p.slice(0, at).trim().toLowerCase(), p.slice(at + 1).trim()] as const;
    }),
  );
  if (parts.get('authorization')?.toLowerCase() !== 'aad') return undefined;
  const id = parts.get('clientid');
  return id === undefined || id === '' ? undefined : id;
}

/** Starts exporting metrics and traces when a connection string is set. */
export async function startTelemetry(
  source: Record<string, string | undefined> = process.env,
): Promise<Telemetry> {
  const parsed = settings.safeParse(source);
  const connectionString = parsed.success ? parsed.data.APPLICATIONINSIGHTS_CONNECTION_STRING : undefined;
  if (!parsed.success || connectionString === undefined) return { started: false };
  const clientId = aadClientId(parsed.data.APPLICATIONINSIGHTS_AUTHENTICATION_STRING);
  const { useAzureMonitor, shutdownAzureMonitor } = await import('@azure/monitor-opentelemetry');
  const credential =
    clientId === undefined
      ? undefined
      : new (await import('@azure/identity')).ManagedIdentityCredential({ clientId });
  // Download links' tokens never reach the traces (the hook's attributes replace the request's own).
  const http = { enabled: true, startIncomingSpanHook: redactedSpanAttributes };
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString, ...(credential === undefined ? {} : { credential }) },
    instrumentationOptions: {
      http,
      azureSdk: { enabled: true },
      mongoDb: { enabled: false },
      mySql: { enabled: false },
      postgreSql: { enabled: false },
      redis: { enabled: false },
      redis4: { enabled: false },
    },
    enableLiveMetrics: false,
  });
  return { started: true, clientId, stop: shutdownAzureMonitor };
}
