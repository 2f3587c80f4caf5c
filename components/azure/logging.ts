// Central logging: the Log Analytics workspace (local auth off, ingestion only through private link), Container
// Insights with a masking transform, and the diagnostic settings that send every audit log to it and the archive.
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as pulumi from "@pulumi/pulumi";
import { WORKLOADS } from "../seam";
import { PrivateEndpoint, PrivateZone } from "./private-endpoints";
import type { Placement } from "./placement";

/** Log Analytics keeps data interactively for at most 730 days; longer retention lives in the immutable archive. */
export const WORKSPACE_MAX_RETENTION_DAYS = 730;

/**
 * Masking applied at ingestion, behind Fluent Bit's own masking (LOG-2): e-mail addresses, bearer tokens,
 * `key=value` credentials and API keys shaped like the providers'. RE2 syntax, which KQL's replace_regex uses.
 */
export const INGESTION_MASKS: readonly { readonly pattern: string; readonly replacement: string }[] = [
    { pattern: String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`, replacement: "[email]" },
    { pattern: String.raw`([Bb]earer\s+)[A-Za-z0-9._~+/=-]+`, replacement: String.raw`\1[redacted]` },
    { pattern: String.raw`((?:[Aa][Pp][Ii][_-]?[Kk][Ee][Yy]|[Tt][Oo][Kk][Ee][Nn]|[Pp][Aa][Ss][Ss][Ww][Oo][Rr][Dd]|[Ss][Ee][Cc][Rr][Ee][Tt])"?\s*[:=]\s*"?)[^\s",}]+`, replacement: String.raw`\1[redacted]` },
    { pattern: String.raw`sk-[A-Za-z0-9_-]{16,}`, replacement: "[api-key]" },
];

/** The DCR transformation: each mask applied in order to the message. */
export function maskingTransformKql(): string {
    const masked = INGESTION_MASKS.reduce((expr, m) => `replace_regex(${expr}, @'${m.pattern}', @'${m.replacement}')`, "tostring(LogMessage)");
    return `source | extend LogMessage = parse_json(${masked})`;
}

export interface LoggingArgs extends Placement {
    /** Days logs are kept (≥ 90; LOG-5). */
    readonly retentionDays: number;
    /** The private-endpoint subnet the endpoint is placed in. */
    readonly privateEndpointSubnetId: pulumi.Input<string>;
    /** The privatelink zones of Azure Monitor's private link scope. */
    readonly privateDnsZoneIds: Readonly<Record<PrivateZone, pulumi.Input<string>>>;
}

export class Logging extends pulumi.ComponentResource {
    readonly workspace: operationalinsights.Workspace;
    readonly containerInsightsRule: monitor.DataCollectionRule;
    readonly endpoint: monitor.DataCollectionEndpoint;

    constructor(name: string, args: LoggingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:azure:Logging", name, {}, opts);
        const { resourceGroupName, location } = args;
        this.workspace = new operationalinsights.Workspace(`${name}-workspace`, {
            resourceGroupName, location, workspaceName: "openclaw-logs",
            sku: { name: "PerGB2018" },
            retentionInDays: Math.min(args.retentionDays, WORKSPACE_MAX_RETENTION_DAYS),
            features: { disableLocalAuth: true, enableLogAccessUsingOnlyResourcePermissions: true },
            // Ingestion only through the private link scope below. Queries stay open to Entra-authenticated,
            // RBAC-authorized callers: operators and auditors use the portal, as CloudWatch Logs does on AWS.
            publicNetworkAccessForIngestion: "Disabled",
            publicNetworkAccessForQuery: "Enabled",
        }, { parent: this });

        this.endpoint = new monitor.DataCollectionEndpoint(`${name}-dce`, {
            resourceGroupName, location, networkAcls: { publicNetworkAccess: "Disabled" },
        }, { parent: this });

        const scope = new monitor.PrivateLinkScope(`${name}-ampls`, {
            resourceGroupName, location: "global",
            accessModeSettings: { ingestionAccessMode: "PrivateOnly", queryAccessMode: "Open" },
        }, { parent: this });
        new monitor.PrivateLinkScopedResource(`${name}-ampls-workspace`, { resourceGroupName, scopeName: scope.name, linkedResourceId: this.workspace.id }, { parent: this });
        new monitor.PrivateLinkScopedResource(`${name}-ampls-dce`, { resourceGroupName, scopeName: scope.name, linkedResourceId: this.endpoint.id }, { parent: this });
        const z = args.privateDnsZoneIds;
        new PrivateEndpoint(`${name}-ampls`, {
            resourceGroupName, location, subnetId: args.privateEndpointSubnetId, targetId: scope.id, groupId: "azuremonitor",
            dnsZoneIds: [z.monitor, z.monitorOms, z.monitorOds, z.monitorAgentService, z.blob],
        }, { parent: this });

        // Container Insights ships Fluent Bit's already-masked output (Fluent Bit writes it to stdout in the
        // logging namespace); other namespaces' raw stdout is not collected, so no unmasked copy is stored.
        this.containerInsightsRule = new monitor.DataCollectionRule(`${name}-container-insights`, {
            resourceGroupName, location, kind: "Linux",
            description: "Container Insights: masked container logs from Fluent Bit, Kubernetes events and inventory",
            dataCollectionEndpointId: this.endpoint.id,
            dataSources: {
                extensions: [{
                    name: "ContainerInsightsExtension", extensionName: "ContainerInsights",
                    streams: ["Microsoft-ContainerLogV2", "Microsoft-KubeEvents", "Microsoft-KubePodInventory"],
                    extensionSettings: {
                        dataCollectionSettings: { interval: "1m", namespaceFilteringMode: "Include", namespaces: [WORKLOADS.fluentBit.namespace], enableContainerLogV2: true },
                    },
                }],
            },
            destinations: { logAnalytics: [{ name: "workspace", workspaceResourceId: this.workspace.id }] },
            dataFlows: [
                { streams: ["Microsoft-ContainerLogV2"], destinations: ["workspace"], transformKql: maskingTransformKql(), outputStream: "Microsoft-ContainerLogV2" },
                { streams: ["Microsoft-KubeEvents", "Microsoft-KubePodInventory"], destinations: ["workspace"] },
            ],
        }, { parent: this });
        this.registerOutputs({ workspaceId: this.workspace.id });
    }
}

/** What a diagnostic setting collects: explicit categories, or a category group ("allLogs", "audit"). */
export type LogSelection = { readonly categories: readonly string[] } | { readonly categoryGroup: "allLogs" | "audit" };

export interface DiagnosticsArgs {
    /** The resource whose logs are collected. */
    readonly resourceUri: pulumi.Input<string>;
    /** Which log categories are collected. */
    readonly logs: LogSelection;
    /** The Log Analytics workspace's resource id. */
    readonly workspaceId: pulumi.Input<string>;
    /** The immutable archive: every diagnostic log is also written there. */
    readonly archiveAccountId: pulumi.Input<string>;
    /** Resource-specific tables ("Dedicated") where the service supports them (AKS, Azure Firewall). */
    readonly dedicatedTables?: boolean;
}

/** A diagnostic setting that sends the selected logs to the workspace and the archive. */
export function diagnosticSetting(name: string, args: DiagnosticsArgs, parent: pulumi.Resource): monitor.DiagnosticSetting {
    const logs = "categories" in args.logs
        ? args.logs.categories.map((category) => ({ category, enabled: true }))
        : [{ categoryGroup: args.logs.categoryGroup, enabled: true }];
    return new monitor.DiagnosticSetting(name, {
        resourceUri: args.resourceUri, name: "openclaw-audit", logs,
        workspaceId: args.workspaceId, storageAccountId: args.archiveAccountId,
        logAnalyticsDestinationType: args.dedicatedTables ? "Dedicated" : undefined,
    }, { parent });
}
