// SLA Desk in Azure, deployed by `teamsapp provision` (teamsapp.yml, arm/deploy) with azure.parameters.json.
// One Linux App Service (Node 20) serves the bot (/api/messages), the tab API (/api/...) and the tab (/tab);
// tickets live in Table Storage reached with a managed identity (no account keys); the Azure Bot carries the
// Teams channel. The bot's identity is a user-assigned managed identity (msaAppType UserAssignedMSI): Azure Bot
// Service no longer creates multi-tenant bots, and a managed identity needs no secret anywhere.
// Outputs (upper case) are written by the toolkit to env/.env.<env>; teamsapp.yml reads them.

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

@description('Prefix of every table name (TABLE_PREFIX), so several deployments can share one account.')
param tablePrefix string = ''

@description('Ticket ids look like <prefix>-1042 (TICKET_PREFIX).')
param ticketPrefix string = 'TM'

@description('CUSTOMER_TENANTS: tenantId=Account name pairs separated by ;')
param customerTenants string = ''

@description('STAFF_TENANT_ID: the vendor\'s Entra tenant, where engineers and managers sign in.')
param staffTenantId string = ''

@description('STAFF_ENGINEERS: objectId=Name pairs separated by ;')
param staffEngineers string = ''

@description('STAFF_MANAGERS: objectId=Name pairs separated by ;')
param staffManagers string = ''

@description('ONCALL_ROTATION: the weekly on-call rotation as JSON (see README, Configuration).')
param oncallRotation string = ''

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
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: 'node --enable-source-maps --max-semi-space-size=32 --disable-warning=DEP0111 dist/index.js'
      alwaysOn: true
      healthCheckPath: '/healthz'
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // The names src/config.ts reads (README, Configuration); values, never secrets.
      appSettings: [
        { name: 'NODE_ENV', value: 'production' }
        // App Service sends traffic to port 8080 of the container.
        { name: 'HOST', value: '0.0.0.0' }
        { name: 'PORT', value: '8080' }
        { name: 'WEBSITES_PORT', value: '8080' }
        { name: 'LOG_JSON', value: 'true' }
        { name: 'BOT_ID', value: identity.properties.clientId }
        { name: 'BOT_TYPE', value: 'UserAssignedMSI' }
        { name: 'BOT_TENANT_ID', value: identity.properties.tenantId }
        { name: 'TABLES_ENDPOINT', value: 'https://${storage.name}.table.${environment().suffixes.storage}' }
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        { name: 'TABLE_PREFIX', value: tablePrefix }
        { name: 'TICKET_PREFIX', value: ticketPrefix }
        { name: 'AAD_APP_CLIENT_ID', value: tabAppClientId }
        { name: 'TAB_DOMAIN', value: '${webAppName}.azurewebsites.net' }
        { name: 'CUSTOMER_TENANTS', value: customerTenants }
        { name: 'STAFF_TENANT_ID', value: staffTenantId }
        { name: 'STAFF_ENGINEERS', value: staffEngineers }
        { name: 'STAFF_MANAGERS', value: staffManagers }
        { name: 'ONCALL_ROTATION', value: oncallRotation }
        { name: 'SUPPORT_PHONE', value: supportPhone }
        { name: 'SUPPORT_EMAIL', value: supportEmail }
        { name: 'POLICY_FILE', value: policyFile }
        // Application Insights: requests, dependencies and console output, by the App Service agent.
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'ApplicationInsightsAgent_EXTENSION_VERSION', value: '~3' }
        // The deploy step uploads a built bundle with production dependencies: run it as is, read-only.
        { name: 'WEBSITE_RUN_FROM_PACKAGE', value: '1' }
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' }
      ]
    }
  }
  dependsOn: [tableAccess]
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
