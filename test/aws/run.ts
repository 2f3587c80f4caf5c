// Shared runs of the AWS example stack for the AWS tests (each run once per mocha process), and small readers.
import { AwsPlatform } from "../../components/aws";
import { readConfig } from "../../config/read";
import { ProgramRun, RecordedResource, runProgram, stackValues } from "../harness/program";

let dev: Promise<ProgramRun> | undefined;
let weakened: Promise<ProgramRun> | undefined;

/** The whole program on the AWS example stack (`Pulumi.dev.yaml`), as `pulumi up` would run it. */
export function devStack(): Promise<ProgramRun> {
    dev ??= runProgram({ stack: "dev" });
    return dev;
}

/** A peering the weakened stack adds: a vector database reachable on one port. */
export const PEERING = { name: "vector-db", peerNetworkId: "vpc-0123456789abcdef0", cidrs: ["10.50.0.0/24"], ports: [5432] };
export const API_CIDRS = ["203.0.113.0/24", "198.51.100.7/32"];

/**
 * The platform alone on the example stack with every opt-in that weakens the defaults (public API for two
 * networks, enforce mode, one peering, no alert e-mail); its outputs add the seam blocks the Kubernetes layer reads.
 */
export function weakenedStack(): Promise<ProgramRun> {
    const network = stackValues("dev").network as Record<string, unknown>;
    weakened ??= runProgram({
        stack: "dev",
        config: { apiAuthorizedCidrs: API_CIDRS, egressMode: "enforce", network: { ...network, peerings: [PEERING] }, alertEmail: undefined },
        program: () => {
            const config = readConfig();
            const { seam } = new AwsPlatform("openclaw", { config });
            return {
                ...seam.outputs,
                seam: {
                    secretStoreProvider: seam.secretStore.provider,
                    gatewayTokenRemoteKey: seam.secretStore.gatewayTokenRemoteKey,
                    modelProviderRemoteKeys: seam.secretStore.modelProviderRemoteKeys,
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
                },
            };
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
