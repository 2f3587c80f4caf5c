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
    return { ...inputs };
}
