// Alerts (LOG-6, SEC-4/6): an action group, scheduled log queries for failed authentication, model-API traffic
// spikes, unknown egress and rotation failures, and Key Vault expiry events routed to the same action group.
import * as eventgrid from "@pulumi/azure-native/eventgrid";
import * as monitor from "@pulumi/azure-native/monitor";
import * as pulumi from "@pulumi/pulumi";
import { WORKLOADS } from "../seam";
import { ROTATOR } from "./rotation";
import type { Placement } from "./placement";

/** The checklist's alerts; each becomes one scheduled query rule. */
export const ALERT_KINDS = ["failed-auth", "model-traffic-spike", "unknown-egress", "rotation-failed", "rotator-silent"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface AlertQuery {
    readonly description: string;
    readonly query: string;
    readonly operator: "GreaterThan" | "LessThan";
    readonly threshold: number;
    readonly window: string;
    readonly frequency: string;
    readonly severity: number;
    /**
     * The data the query sees, when it must look further back than `window` (overrideQueryTimeRange). A log alert
     * sees at most two days, whatever `ago()` the query says (MicrosoftDocs/azure-monitor-docs
     * articles/azure-monitor/alerts/alerts-create-log-alert-rule.md: "limited to a maximum of two days").
     */
    readonly queryTimeRange?: string;
}

/** The longest query time range a log alert rule accepts (see AlertQuery.queryTimeRange). */
export const MAX_QUERY_TIME_RANGE = "P2D";

const kql = (s: string) => `'${s.replace(/'/g, "\\'")}'`;

/**
 * The queries, built from the configured model-provider domains. Tables that only exist once a source writes
 * to them (AZFW*, DNSQueryLogs) are read with `union isfuzzy=true` so the rules stay valid in either egress mode.
 */
export function alertQueries(providerDomains: readonly string[]): Readonly<Record<AlertKind, AlertQuery>> {
    const domains = providerDomains.map(kql).join(", ");
    const dnsDomains = providerDomains.map((d) => kql(`${d}.`)).join(", ");
    const fluentBit = kql(WORKLOADS.fluentBit.namespace);
    return {
        "failed-auth": {
            description: "Repeated failed authentication (401/403) at the Kubernetes API or the ingress",
            query: [
                "union isfuzzy=true",
                "(AKSAudit | where toint(ResponseStatus.code) in (401, 403) | project TimeGenerated, source = 'kube-apiserver'),",
                `(ContainerLogV2 | where PodNamespace == ${fluentBit} | extend r = parse_json(tostring(LogMessage))`,
                " | where toint(r.status) in (401, 403) | project TimeGenerated, source = 'ingress')",
            ].join("\n"),
            operator: "GreaterThan", threshold: 20, window: "PT5M", frequency: "PT5M", severity: 2,
        },
        "model-traffic-spike": {
            // The baseline is the hourly average of the 47 hours before the last one: the most a log alert can see
            // (two days). A 7-day baseline would always read 0 because the rule never sees that far back.
            description: "Traffic to the model providers' APIs in the last hour is more than three times its hourly average of the previous 47 hours",
            query: [
                "let calls = union isfuzzy=true",
                ` (AZFWApplicationRule | where Fqdn in (${domains}) | project TimeGenerated),`,
                ` (DNSQueryLogs | where QueryName in (${dnsDomains}) | project TimeGenerated);`,
                "let baseline = toscalar(calls | where TimeGenerated between (ago(2d) .. ago(1h)) | summarize count() / 47.0);",
                "calls | where TimeGenerated > ago(1h) | summarize current = count() | where current > 3 * max_of(baseline, 10.0)",
            ].join("\n"),
            operator: "GreaterThan", threshold: 0, window: "PT1H", frequency: "PT15M", severity: 2, queryTimeRange: MAX_QUERY_TIME_RANGE,
        },
        "unknown-egress": {
            description: "A workload looked up or connected to a destination outside the egress allow-list",
            query: [
                "union isfuzzy=true",
                " (DNSQueryLogs | where ResolverPolicyRuleAction !in~ ('Allow', 'None', 'No Match', '') | project TimeGenerated, destination = QueryName, SourceIpAddress),",
                " (AZFWApplicationRule | where Action == 'Deny' | project TimeGenerated, destination = Fqdn, SourceIpAddress = SourceIp)",
            ].join("\n"),
            operator: "GreaterThan", threshold: 0, window: "PT5M", frequency: "PT5M", severity: 1,
        },
        "rotation-failed": {
            description: "The gateway token rotator reported a failure, or Key Vault refused a secret write",
            query: [
                "union isfuzzy=true",
                ` (ContainerLogV2 | extend r = parse_json(tostring(LogMessage)) | where r.logger == ${kql(ROTATOR.logTag)} and r.outcome == 'failed' | project TimeGenerated),`,
                " (AzureDiagnostics | where ResourceProvider == 'MICROSOFT.KEYVAULT' and OperationName == 'SecretSet' and httpStatusCode_d >= 400 | project TimeGenerated)",
            ].join("\n"),
            operator: "GreaterThan", threshold: 0, window: "PT15M", frequency: "PT15M", severity: 1,
        },
        "rotator-silent": {
            description: "The gateway token rotator has not reported for two days (it runs daily)",
            query: `ContainerLogV2 | extend r = parse_json(tostring(LogMessage)) | where r.logger == ${kql(ROTATOR.logTag)} | project TimeGenerated`,
            operator: "LessThan", threshold: 1, window: "P2D", frequency: "PT6H", severity: 2,
        },
    };
}

export interface AlertsArgs extends Placement {
    /** Where alerts are e-mailed; without it the action group has no receiver (add one in the portal). */
    readonly alertEmail?: string;
    /** The Log Analytics workspace's resource id. */
    readonly workspaceId: pulumi.Input<string>;
    /** The Key Vault's resource id. */
    readonly vaultId: pulumi.Input<string>;
    /** API domains of the configured model providers. */
    readonly providerDomains: readonly string[];
    /** Key Vault names of the provider key secrets (we cannot rotate them; operators are told when to). */
    readonly providerSecretNames: readonly string[];
    /** openclaw:rotationDays. */
    readonly rotationDays: number;
    /** The etcd key's name: a new version of it means AKS KMS must be moved to it (runbook). */
    readonly kmsKeyName: string;
}

/**
 * Key Vault raises SecretNearExpiry this many days before a version expires ("The event is triggered 30 days before
 * the expiration date": MicrosoftDocs/azure-docs articles/event-grid/event-schema-key-vault.md).
 */
export const KEY_VAULT_NEAR_EXPIRY_DAYS = 30;

export class Alerts extends pulumi.ComponentResource {
    readonly actionGroup: monitor.ActionGroup;
    readonly rules: Readonly<Record<AlertKind, monitor.ScheduledQueryRule>>;

    constructor(name: string, args: AlertsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:azure:Alerts", name, {}, opts);
        const { resourceGroupName, location } = args;
        this.actionGroup = new monitor.ActionGroup(`${name}-action-group`, {
            resourceGroupName, location: "global", enabled: true, groupShortName: "openclaw",
            emailReceivers: args.alertEmail ? [{ name: "security-alerts", emailAddress: args.alertEmail, useCommonAlertSchema: true }] : [],
        }, { parent: this });

        const queries = alertQueries(args.providerDomains);
        const rules = {} as Record<AlertKind, monitor.ScheduledQueryRule>;
        for (const kind of ALERT_KINDS) {
            const q = queries[kind];
            rules[kind] = new monitor.ScheduledQueryRule(`${name}-${kind}`, {
                resourceGroupName, location, kind: "LogAlert", enabled: true,
                displayName: `openclaw: ${kind}`, description: q.description, severity: q.severity,
                scopes: [args.workspaceId], evaluationFrequency: q.frequency, windowSize: q.window, overrideQueryTimeRange: q.queryTimeRange,
                criteria: { allOf: [{ query: q.query, timeAggregation: "Count", operator: q.operator, threshold: q.threshold, failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 } }] },
                actions: { actionGroups: [this.actionGroup.id] },
                autoMitigate: false,
                // Some tables appear only after their first record; validation would reject the rule until then.
                skipQueryValidation: true,
            }, { parent: this });
        }
        this.rules = rules;

        // A provider key expiring means its rotation is due (we cannot rotate it for you); the gateway token
        // expiring means the rotator failed; a key near expiry means KMS rotation needs attention.
        const topic = new eventgrid.SystemTopic(`${name}-vault-events`, {
            resourceGroupName, location, source: args.vaultId, topicType: "Microsoft.KeyVault.vaults",
        }, { parent: this });
        new eventgrid.SystemTopicEventSubscription(`${name}-vault-expiry`, {
            resourceGroupName, systemTopicName: topic.name, eventSubscriptionName: "vaultexpiry",
            // The only schema the Azure Monitor alert destination accepts (MicrosoftDocs/azure-docs
            // articles/event-grid/handler-azure-monitor-alerts.md: "Cloud Events Schema v1.0 ... the only schema type").
            eventDeliverySchema: "CloudEventSchemaV1_0",
            filter: { includedEventTypes: ["Microsoft.KeyVault.SecretExpired", "Microsoft.KeyVault.KeyNearExpiry"] },
            destination: {
                endpointType: "MonitorAlert", severity: "Sev2", actionGroups: [this.actionGroup.id],
                description: "openclaw: a Key Vault secret expired (rotation due or failed) or a key is near expiry",
            },
        }, { parent: this });
        // Key Vault rotated the etcd key: AKS still uses the old version until moved (docs/azure.md, KMS key versions).
        new eventgrid.SystemTopicEventSubscription(`${name}-etcd-key-new-version`, {
            resourceGroupName, systemTopicName: topic.name, eventSubscriptionName: "etcdkeynewversion",
            eventDeliverySchema: "CloudEventSchemaV1_0", // the alert destination takes CloudEvents only
            filter: {
                includedEventTypes: ["Microsoft.KeyVault.KeyNewVersionCreated"],
                advancedFilters: [{ operatorType: "StringIn", key: "data.ObjectName", values: [args.kmsKeyName] }],
            },
            destination: {
                endpointType: "MonitorAlert", severity: "Sev3", actionGroups: [this.actionGroup.id],
                description: "openclaw: the etcd key has a new version; move AKS KMS to it and re-encrypt the Secrets (docs/azure.md, KMS key versions)",
            },
        }, { parent: this });
        // An early reminder for provider keys, when it is not the moment of writing: Key Vault raises the event a
        // fixed 30 days before expiry, which for rotationDays <= 30 is the moment the version is written.
        if (args.rotationDays > KEY_VAULT_NEAR_EXPIRY_DAYS && args.providerSecretNames.length > 0) {
            new eventgrid.SystemTopicEventSubscription(`${name}-provider-key-near-expiry`, {
                resourceGroupName, systemTopicName: topic.name, eventSubscriptionName: "providerkeynearexpiry",
                eventDeliverySchema: "CloudEventSchemaV1_0", // as above: the alert destination takes CloudEvents only
                filter: {
                    includedEventTypes: ["Microsoft.KeyVault.SecretNearExpiry"],
                    // CloudEvents advanced filters take EventId, Source, EventType, EventTypeVersion or data.* keys, not
                    // subject (MicrosoftDocs/azure-docs articles/event-grid/event-filtering.md, Key); Key Vault puts the
                    // secret's name in data.ObjectName (articles/event-grid/event-schema-key-vault.md).
                    advancedFilters: [{ operatorType: "StringIn", key: "data.ObjectName", values: [...args.providerSecretNames] }],
                },
                destination: {
                    endpointType: "MonitorAlert", severity: "Sev3", actionGroups: [this.actionGroup.id],
                    description: `openclaw: a model provider key expires in ${KEY_VAULT_NEAR_EXPIRY_DAYS} days; rotate it with the provider and pulumi config set --secret`,
                },
            }, { parent: this });
        }
        this.registerOutputs({ actionGroupId: this.actionGroup.id });
    }
}
