// Shared runs of the AWS example stack for the AWS tests (each run once per mocha process), and small readers.
import * as pulumi from "@pulumi/pulumi";
import { Cluster } from "../../components/aws/cluster";
import { tokenCommand } from "../../components/aws/kubeconfig";
import type { AwsContext } from "../../components/aws/context";
import { DnsFirewall } from "../../components/aws/dns-firewall";
import { Network } from "../../components/aws/network";
import { Peerings } from "../../components/aws/peering";
import { SecurityGroups } from "../../components/aws/security-groups";
import { KubernetesLayer } from "../../components/kubernetes";
import { createPlatform } from "../../components/platform";
import type { PlatformSeam } from "../../components/seam";
import type { ModelProvider } from "../../config/providers";
import { readConfig } from "../../config/read";
import { ProgramRun, RecordedResource, runProgram, stackValues } from "../harness/program";
import { MOCK_AWS_ACCOUNT } from "../harness/state-aws";

/** The seam blocks the Kubernetes layer reads, as plain values for assertions. */
function seamView(seam: PlatformSeam): Record<string, unknown> {
    return {
        secretStoreProvider: seam.secretStore.provider,
        gatewayTokenRemoteKey: seam.secretStore.gatewayTokenRemoteKey,
        modelProviderRemoteKeys: seam.secretStore.modelProviderRemoteKeys,
        identityClientSecretRemoteKey: seam.secretStore.identityClientSecretRemoteKey,
        fluentBitOutputs: seam.logShipping.fluentBitOutputs,
        loadBalancerAnnotations: seam.ingress.loadBalancerAnnotations,
        proxyProtocol: seam.ingress.proxyProtocol,
        externalTrafficPolicy: seam.ingress.externalTrafficPolicy,
        dns01: seam.certManager.dns01,
        storageClass: seam.cluster.encryptedStorageClassName,
        privateCidrs: seam.cluster.privateCidrs,
        podCidrs: seam.cluster.podCidrs,
        groups: seam.cluster.groups,
        credentialEndpoints: seam.secretStore.identity.credentialEndpoints,
        readyResources: seam.cluster.readyResources.map((r) => r.urn),
    };
}

let dev: Promise<ProgramRun> | undefined;
let weakened: Promise<ProgramRun> | undefined;

/**
 * The program of index.ts on the AWS example stack (`Pulumi.dev.yaml`), platform and Kubernetes layer, as
 * `pulumi up` runs it; the outputs also carry `seam`, what the platform handed the Kubernetes layer.
 */
export function devStack(): Promise<ProgramRun> {
    dev ??= runProgram({
        stack: "dev",
        program: () => {
            const config = readConfig();
            const platform = createPlatform("openclaw", config);
            const kubernetes = new KubernetesLayer("openclaw", { config, platform });
            return { url: `https://${config.hostname}`, clusterName: platform.cluster.name, ...platform.outputs, ...kubernetes.outputs, seam: seamView(platform) };
        },
    });
    return dev;
}

/** The seam the platform handed over on the example stack. */
export async function devSeam(): Promise<Record<string, unknown>> {
    return (await devStack()).outputs.seam as Record<string, unknown>;
}

/** A peering the weakened config adds: a vector database reachable on one port. */
export const PEERING = { name: "vector-db", peerNetworkId: "vpc-0123456789abcdef0", cidrs: ["10.50.0.0/24"], ports: [5432] };
export const API_CIDRS = ["203.0.113.0/24", "198.51.100.7/32"];

/**
 * The example stack with every opt-in that weakens a default (public API for two networks, egress enforce,
 * one peering), built through the components those knobs reach: the cluster, the DNS firewall, the network,
 * security groups and peering. Cheaper than the whole platform again, and the same code paths.
 */
export function weakenedStack(): Promise<ProgramRun> {
    const network = stackValues("dev").network as Record<string, unknown>;
    weakened ??= runProgram({
        stack: "dev",
        config: { apiAuthorizedCidrs: API_CIDRS, egressMode: "enforce", network: { ...network, peerings: [PEERING] } },
        program: () => {
            const config = readConfig();
            const context: AwsContext = {
                prefix: "openclaw-dev",
                region: "eu-central-1",
                accountId: pulumi.output(MOCK_AWS_ACCOUNT),
                partition: pulumi.output("aws"),
                tags: {},
            };
            const net = new Network("openclaw-network", {
                context,
                cidr: config.network.cidr,
                zones: config.network.zones,
                ingressAllowedCidrs: config.ingressAllowedCidrs,
                peeredDestinations: config.network.peerings,
                flowLogGroupArn: "arn:aws:logs:eu-central-1:111122223333:log-group:/openclaw-dev/vpc-flow-logs",
            });
            const securityGroups = new SecurityGroups("openclaw-sg", { context, vpcId: net.vpcId, vpcCidr: config.network.cidr, ingressAllowedCidrs: config.ingressAllowedCidrs });
            new Peerings("openclaw-peering", { context, vpcId: net.vpcId, peerings: config.network.peerings, privateRouteTableIds: net.privateRouteTableIds, securityGroups });
            new DnsFirewall("openclaw-dns-firewall", {
                context,
                vpcId: net.vpcId,
                mode: config.egressMode,
                modelProviders: Object.keys(config.modelProviderKeys) as ModelProvider[],
                extraDomains: config.egressAllowedDomains,
                queryLogGroupArn: "arn:aws:logs:eu-central-1:111122223333:log-group:/openclaw-dev/dns-queries",
            });
            new Cluster("openclaw-eks", {
                context,
                clusterName: "openclaw-dev",
                kubernetesVersion: config.cluster.kubernetesVersion,
                subnetIds: net.subnetIds.private,
                securityGroupId: securityGroups.groups.management.id,
                apiAuthorizedCidrs: config.apiAuthorizedCidrs,
                kmsKeyArn: "arn:aws:kms:eu-central-1:111122223333:key/openclaw-keys-cluster",
                dependsOn: [],
                tokenCommand: tokenCommand("openclaw-dev", "eu-central-1", {}).command,
            });
            return {};
        },
    });
    return weakened;
}

export function ofType(run: ProgramRun, type: string): RecordedResource[] {
    return run.resources.filter((r) => r.type === type);
}

export function named(run: ProgramRun, type: string, name: string): RecordedResource {
    const found = run.resources.find((r) => r.type === type && r.name === name);
    if (!found) {
        throw new Error(`no ${type} named ${name}; have ${ofType(run, type).map((r) => r.name).join(", ")}`);
    }
    return found;
}

/** One IAM statement as recorded (strings or lists, as written). */
export interface Statement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: "*" | Record<string, string | string[]>;
    Action?: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, Record<string, unknown>>;
}

/** The statements of a JSON policy document input. */
export function statements(policy: unknown): Statement[] {
    const doc = (typeof policy === "string" ? JSON.parse(policy) : policy) as { Statement: Statement[] };
    return doc.Statement;
}

export const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
