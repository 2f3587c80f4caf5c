// Turns a seam WorkloadIdentity into the ServiceAccount and pod-label chart values a workload needs to use it.
import type { WorkloadIdentity } from "../seam";

/** The ServiceAccount block most charts accept: created by the chart, fixed name, the identity's annotations. */
export function identityServiceAccount(serviceAccount: string, identity: WorkloadIdentity): Record<string, unknown> {
    return { create: true, name: serviceAccount, annotations: { ...identity.serviceAccountAnnotations } };
}

/** The pod labels the identity needs (a copy, so values never alias the seam's object). */
export function identityPodLabels(identity: WorkloadIdentity): Record<string, string> {
    return { ...identity.podLabels };
}
