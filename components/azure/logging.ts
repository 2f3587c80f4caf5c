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

/** One value the ingestion-time transformation masks. */
export interface IngestionMask {
    readonly name: string;
    /** RE2 syntax (what KQL's `extract` and `matches regex` use); no `'`, which would end the verbatim string. */
    readonly pattern: string;
    /** A capture group kept in front of the replacement (the `Bearer ` or `password=` part), if any. */
    readonly keepGroup?: 1;
    /** What replaces the match; starts with `[`, which no pattern's value part matches, so masks never re-match. */
    readonly replacement: string;
}

/**
 * Masking applied at ingestion, behind Fluent Bit's own masking (LOG-2): the checklist's PII and the secrets this
 * platform handles: e-mail addresses, bearer tokens, `key=value` credentials, provider-shaped API keys, IPv4 addresses.
 */
export const INGESTION_MASKS: readonly IngestionMask[] = [
    { name: "email", pattern: String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`, replacement: "[email]" },
    { name: "bearer", pattern: String.raw`([Bb]earer\s+)[A-Za-z0-9._~+/=-]+`, keepGroup: 1, replacement: "[redacted]" },
    { name: "credential", pattern: String.raw`((?:[Aa][Pp][Ii][_-]?[Kk][Ee][Yy]|[Tt][Oo][Kk][Ee][Nn]|[Pp][Aa][Ss][Ss][Ww][Oo][Rr][Dd]|[Ss][Ee][Cc][Rr][Ee][Tt])"?\s*[:=]\s*"?)[^\s",}\[][^\s",}]*`, keepGroup: 1, replacement: "[redacted]" },
    { name: "api-key", pattern: String.raw`sk-[A-Za-z0-9_-]{16,}`, replacement: "[api-key]" },
    { name: "ipv4", pattern: String.raw`\b(?:[0-9]{1,3}\.){3}[0-9]{1,3}\b`, replacement: "[ip]" },
];

/** How many occurrences of each mask the transformation replaces; a message with more is replaced whole. */
export const MASK_ROUNDS = 4;

/** What a message still holding a sensitive value after MASK_ROUNDS rounds becomes (fail closed). */
export const OVERFLOW_MESSAGE = "[redacted: too many sensitive values]";

/**
 * The DCR transformation. Ingestion-time transformations support neither `replace_regex` nor `replace_string`
 * (MicrosoftDocs/azure-monitor-docs articles/azure-monitor/data-collection/data-collection-transformations-kql.md,
 * "Supported KQL features"), so each occurrence is cut out with the supported `extract`, `indexof`, `substring`,
 * `strlen` and `strcat`: one `extend` per mask and round. A message that still matches any mask afterwards (more
 * than MASK_ROUNDS occurrences of one kind) is replaced by OVERFLOW_MESSAGE rather than stored half-masked.
 */
export function maskingTransformKql(): string {
    const steps = ["source", "extend m_ = tostring(LogMessage)"];
    for (const mask of INGESTION_MASKS) {
        for (let round = 0; round < MASK_ROUNDS; round++) {
            steps.push(`extend h_ = extract(@'${mask.pattern}', 0, m_)`);
            const kept = mask.keepGroup ? `extract(@'${mask.pattern}', ${mask.keepGroup}, m_)` : "''";
            steps.push(`extend m_ = iif(isempty(h_), m_, strcat(substring(m_, 0, indexof(m_, h_)), ${kept}, '${mask.replacement}', substring(m_, indexof(m_, h_) + strlen(h_))))`);
        }
    }
    const leftover = INGESTION_MASKS.map((m) => `m_ matches regex @'${m.pattern}'`).join(" or ");
    steps.push(`extend m_ = iif(${leftover}, '${OVERFLOW_MESSAGE}', m_)`);
    steps.push("extend LogMessage = parse_json(m_)", "project-away m_, h_");
    return steps.join("\n| ");
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
