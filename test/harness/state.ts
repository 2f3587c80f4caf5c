// The state the recording mocks answer a registration with: the inputs plus the outputs a provider would invent.
import { awsState } from "./state-aws";
import { azureState } from "./state-azure";

/** Answers one resource registration: inputs echoed back, plus realistic computed outputs for known types. */
export function mockState(type: string, name: string, inputs: Record<string, unknown>, config: Readonly<Record<string, string>>): Record<string, unknown> {
    if (type.startsWith("aws:")) {
        return { ...inputs, ...awsState(type, name, inputs, config["aws:region"] ?? "eu-central-1") };
    }
    if (type.startsWith("azure-native:")) {
        return { ...inputs, ...azureState(type, name, inputs) };
    }
    if (type === "random:index/randomPassword:RandomPassword") {
        // A deterministic stand-in of the requested length; the program must treat it as the secret it is.
        const length = typeof inputs.length === "number" ? inputs.length : 32;
        return { ...inputs, result: `mock-random-${name}-`.padEnd(length, "x").slice(0, length) };
    }
    if (type === "kubernetes:gateway.networking.k8s.io/v1:Gateway") {
        // What Envoy Gateway writes once the proxy Service has its load balancer (envoyproxy/gateway
        // internal/gatewayapi/status/gateway.go): the NLB's DNS name on AWS, the load balancer's IP on Azure.
        // Azure with enforced egress: the proxy Service is an internal load balancer, so its address is private.
        const azureIp = config["openclaw:egressMode"] === "enforce" ? MOCK_AZURE_INTERNAL_LB_IP : MOCK_AZURE_LB_IP;
        const address = config["openclaw:cloud"] === "azure" ? { type: "IPAddress", value: azureIp } : { type: "Hostname", value: MOCK_AWS_NLB_HOSTNAME };
        return { ...inputs, status: { addresses: [address] } };
    }
    return { ...inputs };
}

/** The load balancer addresses the mocks report for a Gateway (documentation ranges and an example NLB name). */
export const MOCK_AWS_NLB_HOSTNAME = "k8s-openclaw-openclaw-0123456789-0123456789abcdef.elb.eu-central-1.amazonaws.com";
export const MOCK_AZURE_LB_IP = "203.0.113.10";
/** What the Gateway reports on Azure with `egressMode: enforce`: the internal load balancer's private address. */
export const MOCK_AZURE_INTERNAL_LB_IP = "10.0.3.250";
