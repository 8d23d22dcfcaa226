// SLA Desk in Azure, deployed by `teamsapp provision` (teamsapp.yml, arm/deploy) with azure.parameters.json.
// One Linux App Service (Node 22 LTS) serves the bot (/api/messages), the tab API (/api/...) and the tab (/tab);
// tickets live in Table Storage reached with a managed identity (no account keys); the Azure Bot carries the
// Teams channel. The bot's identity is a user-assigned managed identity (msaAppType UserAssignedMSI): Azure Bot
// Service no longer creates multi-tenant bots, and a managed identity needs no secret anywhere.
// Outputs (upper case) are written by the toolkit to env/.env.<env>; teamsapp.yml reads them.
// Every setting src/config.ts accepts in production is a parameter here (filled from env/.env.<env>), so a
// provision never wipes what an operator set: change settings in the env file, never in the portal.

// Microsoft Graph resources (the managed identity's app roles); bicepconfig.json names the extension's version.
extension microsoftGraphV1

@minLength(3)
@maxLength(20)
@description('Prefix of every resource name, e.g. sladesk-dev; a short hash of the resource group is appended where names must be globally unique.')
param resourceBaseName string

@description('Region of every resource but the Azure Bot (global).')
param location string = resourceGroup().location

@allowed(['B1', 'B2', 'B3', 'S1', 'S2', 'S3', 'P0v3', 'P1v3', 'P2v3', 'P3v3'])
@description('App Service plan size: Basic or higher (Always On); P0v3 or higher for production.')
param appServiceSku string = 'B1'

@minValue(1)
@maxValue(10)
@description('Instances of the web app. More than one is supported: storage is shared and the deadline watcher is safe across instances.')
param instanceCount int = 1

@maxLength(42)
@description('The bot\'s name in the Azure portal and in Bot Framework.')
param botDisplayName string

@allowed(['F0', 'S1'])
@description('Azure Bot pricing tier; Teams is a standard channel, free on both.')
param botSku string = 'F0'

@description('Client id of the tab\'s Entra app for Teams SSO (aadApp/create writes AAD_APP_CLIENT_ID).')
param tabAppClientId string

@description('TABLE_PREFIX: prefix of every table name, so several deployments can share one account.')
param tablePrefix string = ''

@description('TICKET_PREFIX: ticket ids look like <prefix>-1042.')
param ticketPrefix string = 'TM'

@description('CUSTOMER_TENANTS: tenantId=Account name pairs separated by ;')
param customerTenants string = ''

@description('STAFF_TENANT_ID: the vendor\'s Entra tenant, where engineers and managers sign in.')
param staffTenantId string = ''

@description('STAFF_ENGINEERS: objectId=Name pairs separated by ;')
param staffEngineers string = ''

@description('STAFF_MANAGERS: objectId=Name pairs separated by ;')
param staffManagers string = ''

@description('ONCALL_ROTATION: the weekly on-call rotation, {"start":"2026-11-23","handover":"09:00","weeks":[{"primary":"<id>","secondary":"<id>"}]}; {} = nobody on call.')
param oncallRotation object = {}

@description('STAFF_ENGINEER_GROUP: object id of the staff tenant\'s Entra group whose members are engineers; empty = none.')
param staffEngineerGroup string = ''

@description('STAFF_MANAGER_GROUP: object id of the staff tenant\'s Entra group whose members are managers; empty = none.')
param staffManagerGroup string = ''

@description('ONCALL_MANAGER: the support manager paged last in the P1 chain (an id of STAFF_MANAGERS); empty = the first manager.')
param oncallManager string = ''

@description('P1_RESPONDERS: staff ids @mentioned when a P1 arrives inside support hours, separated by ;; empty = the primary on call.')
param p1Responders string = ''

@description('OWNER_ON_FIRST_REPLY: true or false, whether the first message to the customer makes its sender the owner; empty = true.')
param ownerOnFirstReply string = ''

@description('DELIVERY_ALERT_MINUTES: minutes a message for the customer may stay undelivered before managers are told; empty = 5.')
param deliveryAlertMinutes string = ''

@description('WATCHER_INTERVAL_MS: real ms between two passes of the deadline watcher; empty = 5000.')
param watcherIntervalMs string = ''

@description('OUTBOX_LEASE_MS: real ms an instance holds an outbox entry it claimed; empty = 60000.')
param outboxLeaseMs string = ''

@description('OUTBOX_TENANT_RATE: messages per second sent to one tenant, shared by the instances; empty = 20.')
param outboxTenantRate string = ''

@description('OUTBOX_RETENTION_DAYS: days a finished outbox entry is kept; empty = 7.')
param outboxRetentionDays string = ''

@description('OUTBOX_STUCK_ATTEMPTS: attempts after which a delivery is listed as stuck; empty = 5.')
param outboxStuckAttempts string = ''

@description('THREAD_REPAIR_INTERVAL_MS: real ms between looks for tickets whose thread a crash kept from being posted; empty = 30000.')
param threadRepairIntervalMs string = ''

@description('THREAD_REPAIR_GRACE_MS: how old (real ms) a ticket without a thread must be before it is posted again; empty = 120000.')
param threadRepairGraceMs string = ''

@description('GRAPH_ENDPOINT: Microsoft Graph of this cloud, where staff groups are read; empty = https://graph.microsoft.com.')
param graphEndpoint string = ''

@description('LOGIN_ENDPOINT: the Entra authority of this cloud; empty = https://login.microsoftonline.com.')
param loginEndpoint string = ''

@description('TAB_API_AUDIENCE: the Application ID URI the tab\'s tokens carry; empty = api://<TAB_DOMAIN>/<tab client id>.')
param tabApiAudience string = ''

@description('TAB_AUTH_JWKS_URL: where Entra publishes its signing keys; empty = the public cloud\'s.')
param tabAuthJwksUrl string = ''

@description('SUPPORT_PHONE shown to customers; empty = the policy\'s.')
param supportPhone string = ''

@description('SUPPORT_EMAIL shown to customers; empty = the policy\'s.')
param supportEmail string = ''

@description('POLICY_FILE: a policy JSON file deployed with the app (e.g. policy/teammate.json); empty = the built-in policy.')
param policyFile string = ''

@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_GZRS', 'Standard_RAGRS', 'Standard_RAGZRS'])
@description('Storage redundancy: ZRS or GZRS where the region has zones (see README, Operate).')
param storageSku string = 'Standard_ZRS'

@minValue(30)
@maxValue(730)
@description('Days Log Analytics keeps the logs.')
param logRetentionDays int = 30

var suffix = take(uniqueString(subscription().id, resourceGroup().id, resourceBaseName), 6)
var webAppName = '${resourceBaseName}-${suffix}'
var storageName = take('${toLower(replace(resourceBaseName, '-', ''))}${suffix}', 24)
// Built-in role "Storage Table Data Contributor": read, write and delete tables and entities.
var tableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
// Built-in role "Storage Blob Data Contributor": read, write and delete the attachments' blobs.
var blobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
// The attachments' container, named as the app names it (TABLE_PREFIX in lower case, then ATTACHMENT_CONTAINER).
var attachmentContainerName = '${toLower(tablePrefix)}${empty(attachmentContainer) ? 'attachments' : attachmentContainer}'
// Built-in role "Monitoring Metrics Publisher": send telemetry to Application Insights with Entra ID.
var metricsPublisher = '3913510d-42f4-4e42-8a2a-d6d0b3e21f2e'
// Microsoft Graph's application id, the same in every tenant.
var graphAppId = '00000003-0000-0000-c000-000000000000'
var readsStaffGroups = !empty(staffEngineerGroup) || !empty(staffManagerGroup)
var tags = { application: 'sla-desk', environment: resourceBaseName }

// The app's one identity: the bot's Bot Framework identity and the web app's way into Table Storage.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-id'
  location: location
  tags: tags
}

resource logs 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: '${resourceBaseName}-logs'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: logRetentionDays
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${resourceBaseName}-insights'
  location: location
  kind: 'web'
  tags: tags
  properties: {
    Application_Type: 'Node.JS'
    WorkspaceResourceId: logs.id
    // Entra ID only: telemetry without a token from an identity holding Monitoring Metrics Publisher is refused.
    DisableLocalAuth: true
  }
}

resource telemetryAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: insights
  name: guid(insights.id, identity.id, metricsPublisher)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', metricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Tickets, the index, settings, audit, messages (and what later features add): tables the app creates on start.
// Entra ID only: shared keys and SAS are disabled, so no connection string with a key exists anywhere.
resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: { name: storageSku }
  tags: tags
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource tableAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, tableDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', tableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Attachments: one private container; the app reaches it with the managed identity (no keys, no public access).
resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource attachmentsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: attachmentContainerName
  properties: { publicAccess: 'None' }
}

resource blobAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, blobDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Staff groups are read from Microsoft Graph as the managed identity: its application permissions, granted
// here when a group is configured (the deploying account needs Privileged Role Administrator or an equivalent
// that may grant app roles; infra/README.md says what to do without one).
resource graph 'Microsoft.Graph/servicePrincipals@v1.0' existing = {
  appId: graphAppId
}

resource graphGroupMembers 'Microsoft.Graph/appRoleAssignedTo@v1.0' = if (readsStaffGroups) {
  principalId: identity.properties.principalId
  resourceId: graph.id
  appRoleId: filter(graph.appRoles, r => r.value == 'GroupMember.Read.All')[0].id
}

resource graphUsers 'Microsoft.Graph/appRoleAssignedTo@v1.0' = if (readsStaffGroups) {
  principalId: identity.properties.principalId
  resourceId: graph.id
  appRoleId: filter(graph.appRoles, r => r.value == 'User.Read.All')[0].id
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  tags: tags
  sku: {
    name: appServiceSku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: 'node --enable-source-maps --max-semi-space-size=32 --disable-warning=DEP0111 dist/index.js'
      alwaysOn: true
      // /readyz answers 200 only while storage is reachable and the watcher's last pass is recent: App Service
      // takes an instance that fails it out of the load balancer and replaces it (/healthz: the process is up).
      healthCheckPath: '/readyz'
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
  }
  dependsOn: [tableAccess]
}

// The deployment's own settings, from env/.env.<env>. One left empty there is not set at all, so the app's
// default applies (an empty number or URL would not be valid). infra/README.md lists them.
@description('RATE_LIMIT_WINDOW_S: seconds the rate limits are counted over; empty = 10.')
param rateLimitWindowS string = ''

@description('RATE_LIMIT_USER: requests per person per window on the bot and the tab API, per instance; 0 = off; empty = 30.')
param rateLimitUser string = ''

@description('RATE_LIMIT_TENANT: requests per tenant per window, per instance; 0 = off; empty = 300.')
param rateLimitTenant string = ''

@description('RATE_LIMIT_CLIENT: refused tokens per client address per window, per instance; 0 = off; empty = 60.')
param rateLimitClient string = ''

@description('TEAMS_SERVICE_HOSTS: host names (separated by ;) of the Teams service URLs activities may name; add smba.infra.gcc.teams.microsoft.com for GCC; empty = smba.trafficmanager.net.')
param teamsServiceHosts string = ''

@description('LOG_LEVEL: lowest level written (debug, info, warn, error); empty = info.')
param logLevel string = ''

@description('DRAIN_TIMEOUT_MS: real ms a stopping instance (SIGTERM) gives requests in flight; keep it below the time App Service waits before a kill; empty = 10000.')
param drainTimeoutMs string = ''

@description('ATTACHMENT_HOSTS: hosts the bot may download files sent in chat from, separated by commas; *.suffix matches any host under suffix; empty = Teams and SharePoint hosts.')
param attachmentHosts string = ''

@description('ATTACHMENT_FETCH_TIMEOUT_MS: real ms one file sent in chat may take to download; empty = 30000.')
param attachmentFetchTimeoutMs string = ''

@description('ATTACHMENTS_PER_MESSAGE: files taken from one chat message, the rest refused with the reason; empty = 10.')
param attachmentsPerMessage string = ''

@description('TEAMS_APP_ID: the Teams app id (the manifest id), for links from cards to the tab; empty = cards carry no links to the tab.')
param teamsAppId string = ''

@description('ATTACHMENT_MAX_MB: largest file a ticket takes, in MB (default 25)')
param attachmentMaxMb string = ''

@description('ATTACHMENT_MAX_PER_TICKET: most files one ticket keeps (default 20)')
param attachmentMaxPerTicket string = ''

@description('ATTACHMENT_CONTAINER: blob container of the attachments, after TABLE_PREFIX in lower case (default attachments)')
param attachmentContainer string = ''

@description('ATTACHMENT_RETENTION_DAYS: days after a ticket closes before its files are deleted; empty or 0 keeps them')
param attachmentRetentionDays string = ''

var operatorSettings = {
  TABLE_PREFIX: tablePrefix
  TICKET_PREFIX: ticketPrefix
  CUSTOMER_TENANTS: customerTenants
  STAFF_TENANT_ID: staffTenantId
  STAFF_ENGINEERS: staffEngineers
  STAFF_MANAGERS: staffManagers
  STAFF_ENGINEER_GROUP: staffEngineerGroup
  STAFF_MANAGER_GROUP: staffManagerGroup
  ONCALL_ROTATION: empty(oncallRotation) ? '' : string(oncallRotation)
  ONCALL_MANAGER: oncallManager
  P1_RESPONDERS: p1Responders
  OWNER_ON_FIRST_REPLY: ownerOnFirstReply
  DELIVERY_ALERT_MINUTES: deliveryAlertMinutes
  WATCHER_INTERVAL_MS: watcherIntervalMs
  OUTBOX_LEASE_MS: outboxLeaseMs
  OUTBOX_TENANT_RATE: outboxTenantRate
  OUTBOX_RETENTION_DAYS: outboxRetentionDays
  OUTBOX_STUCK_ATTEMPTS: outboxStuckAttempts
  THREAD_REPAIR_INTERVAL_MS: threadRepairIntervalMs
  THREAD_REPAIR_GRACE_MS: threadRepairGraceMs
  RATE_LIMIT_WINDOW_S: rateLimitWindowS
  RATE_LIMIT_USER: rateLimitUser
  RATE_LIMIT_TENANT: rateLimitTenant
  RATE_LIMIT_CLIENT: rateLimitClient
  TEAMS_SERVICE_HOSTS: teamsServiceHosts
  LOG_LEVEL: logLevel
  DRAIN_TIMEOUT_MS: drainTimeoutMs
  ATTACHMENT_HOSTS: attachmentHosts
  ATTACHMENT_FETCH_TIMEOUT_MS: attachmentFetchTimeoutMs
  ATTACHMENTS_PER_MESSAGE: attachmentsPerMessage
  TEAMS_APP_ID: teamsAppId
  ATTACHMENT_MAX_MB: attachmentMaxMb
  ATTACHMENT_MAX_PER_TICKET: attachmentMaxPerTicket
  ATTACHMENT_CONTAINER: attachmentContainer
  ATTACHMENT_RETENTION_DAYS: attachmentRetentionDays
  SUPPORT_PHONE: supportPhone
  SUPPORT_EMAIL: supportEmail
  POLICY_FILE: policyFile
  GRAPH_ENDPOINT: graphEndpoint
  LOGIN_ENDPOINT: loginEndpoint
  TAB_API_AUDIENCE: tabApiAudience
  TAB_AUTH_JWKS_URL: tabAuthJwksUrl
}

// The web app's settings: the names src/config.ts reads (docs/configuration.md); values, never secrets. A child
// resource, so TAB_DOMAIN can be the site's real host name (newer sites get a unique regional one, not
// <name>.azurewebsites.net). Each provision sets the whole list.
resource webAppSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'appsettings'
  properties: union(
    {
      NODE_ENV: 'production'
      // App Service sends traffic to port 8080 of the container.
      HOST: '0.0.0.0'
      PORT: '8080'
      WEBSITES_PORT: '8080'
      LOG_JSON: 'true'
      BOT_ID: identity.properties.clientId
      BOT_TYPE: 'UserAssignedMSI'
      BOT_TENANT_ID: identity.properties.tenantId
      TABLES_ENDPOINT: 'https://${storage.name}.table.${environment().suffixes.storage}'
      BLOBS_ENDPOINT: 'https://${storage.name}.blob.${environment().suffixes.storage}'
      AZURE_CLIENT_ID: identity.properties.clientId
      AAD_APP_CLIENT_ID: tabAppClientId
      TAB_DOMAIN: webApp.properties.defaultHostName
      // Metrics and traces by the app's OpenTelemetry exporter, signed in as the managed identity.
      APPLICATIONINSIGHTS_CONNECTION_STRING: insights.properties.ConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${identity.properties.clientId}'
      // The exporter's own usage statistics (statsbeat) would go to a Microsoft endpoint of their own: off.
      APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true'
      // The deploy step uploads a built bundle with production dependencies: run it as is, read-only.
      WEBSITE_RUN_FROM_PACKAGE: '1'
      SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
    },
    toObject(filter(items(operatorSettings), setting => !empty(setting.value)), setting => setting.key, setting => setting.value)
  )
  dependsOn: [telemetryAccess]
}

// stdout/stderr (JSON lines in production), HTTP and platform logs go to Log Analytics.
resource webAppLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: webApp
  name: 'to-log-analytics'
  properties: {
    workspaceId: logs.id
    logs: [
      { category: 'AppServiceConsoleLogs', enabled: true }
      { category: 'AppServiceAppLogs', enabled: true }
      { category: 'AppServiceHTTPLogs', enabled: true }
      { category: 'AppServicePlatformLogs', enabled: true }
    ]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

resource tableLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: tableService
  name: 'to-log-analytics'
  properties: {
    workspaceId: logs.id
    logs: [
      { category: 'StorageWrite', enabled: true }
      { category: 'StorageDelete', enabled: true }
    ]
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${resourceBaseName}-bot-${suffix}'
  location: 'global'
  kind: 'azurebot'
  sku: { name: botSku }
  tags: tags
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      acceptedTerms: true
      deploymentEnvironment: 'CommercialDeployment'
    }
  }
}

// Only Teams may speak for a tenant. Azure Bot Service creates a Web Chat channel with every bot, and Direct
// Line can be added in the portal: both are declared here with their one site disabled, so a provision turns
// off whatever was switched on by hand (the app also refuses activities that are not from msteams).
resource webChatChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'WebChatChannel'
  location: 'global'
  properties: {
    channelName: 'WebChatChannel'
    properties: {
      sites: [
        {
          siteName: 'Default Site'
          isEnabled: false
          isWebchatPreviewEnabled: false
        }
      ]
    }
  }
}

resource directLineChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'DirectLineChannel'
  location: 'global'
  properties: {
    channelName: 'DirectLineChannel'
    properties: {
      sites: [
        {
          siteName: 'Default Site'
          isEnabled: false
          isV1Enabled: false
          isV3Enabled: false
        }
      ]
    }
  }
}

// Written to env/.env.<env> by arm/deploy; teamsapp.yml and the manifest use them.
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output AZURE_STORAGE_ACCOUNT_NAME string = storage.name
output TABLES_ENDPOINT string = 'https://${storage.name}.table.${environment().suffixes.storage}'
output APPLICATIONINSIGHTS_RESOURCE_ID string = insights.id
output LOG_ANALYTICS_WORKSPACE_ID string = logs.id
