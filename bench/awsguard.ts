// @pulumi/awsguard 0.3.1's policies for the side-by-side benchmark, minus the ones that call live AWS APIs.
import type { Policies, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

/** The awsguard modules that define policies (index.js requires exactly these). */
const MODULES = ["apiGateway", "compute", "database", "elasticsearch", "network", "security", "storage"] as const;

/**
 * Policies that call AWS through aws-sdk v2 (security.js): ACM DescribeCertificate, IAM ListAccessKeys and
 * IAM GetLoginProfile/ListMFADevices. They need credentials and the network, so they are left out.
 */
export const AWSGUARD_LIVE_POLICIES = ["acm-certificate-expiration", "access-keys-rotated", "mfa-enabled-for-iam-console-access"] as const;

export interface AwsGuardPolicies {
    readonly offline: Policies;
    readonly live: readonly string[];
    /** Milliseconds to require the modules (they load their own @pulumi/aws 4 and aws-sdk v2). */
    readonly loadMs: number;
}

function isPolicy(value: unknown): value is ResourceValidationPolicy | StackValidationPolicy {
    const v = value as Partial<ResourceValidationPolicy & StackValidationPolicy> | undefined;
    return typeof v?.name === "string" && (v.validateResource !== undefined || typeof v.validateStack === "function");
}

/** Requires awsguard's policy modules and returns their exported policies, the live ones set apart. */
export function loadAwsGuard(): AwsGuardPolicies {
    const start = performance.now();
    const all: (ResourceValidationPolicy | StackValidationPolicy)[] = [];
    for (const module of MODULES) {
        // awsguard ships CommonJS without per-module typings worth importing; the exports are policy objects.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const exported = require(`@pulumi/awsguard/${module}`) as Record<string, unknown>;
        all.push(...Object.values(exported).filter(isPolicy));
    }
    const loadMs = performance.now() - start;
    const names = new Set(all.map((p) => p.name));
    for (const name of AWSGUARD_LIVE_POLICIES) {
        if (!names.has(name)) {
            throw new Error(`awsguard: expected live policy ${name} not found; the installed version differs from 0.3.1`);
        }
    }
    const live: readonly string[] = AWSGUARD_LIVE_POLICIES;
    return { offline: all.filter((p) => !live.includes(p.name)), live, loadMs };
}
