// Realistic answers to the provider functions (invokes) the program calls; an unknown invoke fails loudly.
import { AWS_INVOKES } from "./invokes-aws";
import { AZURE_INVOKES } from "./invokes-azure";

export type InvokeHandler = (inputs: Record<string, unknown>, config: Readonly<Record<string, string>>) => Record<string, unknown>;

const HANDLERS: Readonly<Record<string, InvokeHandler>> = { ...AWS_INVOKES, ...AZURE_INVOKES };

/** Answers an invoke, or throws naming the token so a new invoke gets a deliberate answer. */
export function invokeAnswer(token: string, inputs: Record<string, unknown>, config: Readonly<Record<string, string>>): Record<string, unknown> {
    const handler = HANDLERS[token];
    if (!handler) {
        throw new Error(`harness: no mock answer for invoke ${token}; add a realistic one to test/harness/invokes-<cloud>.ts`);
    }
    return handler(inputs, config);
}
