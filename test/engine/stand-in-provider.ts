// TEST DOUBLE at the engine boundary: a resource provider of this project's own that the real-engine suite installs
// under the plugin names aws, azure-native and random, because those providers cannot be built here (their sources
// need git submodules the Go module proxy does not carry). It checks nothing: every resource is created with its
// inputs as outputs plus the computed outputs the unit-test mocks answer (test/harness/state*.ts), and every invoke
// gets the mocks' answer (test/harness/invokes*.ts). What it proves is the engine's and the analyzer's handling of
// the program, never what AWS or Azure would accept.
//   node -r ts-node/register/transpile-only test/engine/stand-in-provider.ts <package> <version> [engine address]
import { randomBytes } from "crypto";
import * as provider from "@pulumi/pulumi/provider";
import { invokeAnswer } from "../harness/invokes";
import { mockState } from "../harness/state";

/** The marker the Pulumi wire format puts on a secret value (sdk/go/common/resource/sig, "Secret"). */
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

/** Region the stand-in answers with: the one both AWS example stacks set (Pulumi.dev.yaml aws:region). */
const CONFIG = { "aws:region": "eu-central-1" } as const;

// A URN's type part is the parent types and the resource's own, joined by `$`: the last one is the resource's.
const typeOf = (urn: string) => (urn.split("::")[2] ?? "").split("$").pop() ?? "";
const nameOf = (urn: string) => urn.split("::")[3] ?? "";

/** A real random password of the requested length (alphanumeric when special is false), sent as a secret. */
function randomPassword(inputs: Record<string, unknown>): Record<string, unknown> {
    const length = typeof inputs.length === "number" ? inputs.length : 32;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + (inputs.special === false ? "" : "!#$%&*()-_=+[]{}<>:?");
    const bytes = randomBytes(length);
    const value = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
    return { ...inputs, result: { [SIG_KEY]: SECRET_SIG, value } };
}

function state(urn: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const type = typeOf(urn);
    if (type === "random:index/randomPassword:RandomPassword") {
        return randomPassword(inputs);
    }
    const outputs = mockState(type, nameOf(urn), inputs, CONFIG);
    // In the suite's whole-program up, the EKS cluster "is" the local API server: its endpoint and CA are the
    // suite's, so the program's own kubeconfig (with `aws eks get-token`, answered by the stand-in aws) reaches it.
    const server = process.env.OPENCLAW_ENGINE_KUBE_SERVER;
    if (type === "aws:eks/cluster:Cluster" && server) {
        outputs.endpoint = server;
        outputs.certificateAuthority = { data: process.env.OPENCLAW_ENGINE_KUBE_CA_DATA };
    }
    return outputs;
}

class StandInProvider implements provider.Provider {
    constructor(readonly version: string) {}

    async create(urn: string, inputs: Record<string, unknown>): Promise<provider.CreateResult> {
        return { id: `${nameOf(urn)}-stand-in`, outs: state(urn, inputs) };
    }

    async update(_id: string, urn: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<provider.UpdateResult> {
        // A random password keeps its value across updates, as the real provider does.
        if (typeOf(urn) === "random:index/randomPassword:RandomPassword") {
            return { outs: { ...news, result: olds.result } };
        }
        return { outs: state(urn, news) };
    }

    async delete(): Promise<void> {}

    async invoke(token: string, inputs: Record<string, unknown>): Promise<provider.InvokeResult> {
        return { outputs: invokeAnswer(token, inputs, CONFIG) };
    }
}

const [, , pkg, version, ...rest] = process.argv;
if (!pkg || !version) {
    console.error("usage: stand-in-provider.ts <package> <version> [engine address]");
    process.exit(2);
}
void provider.main(new StandInProvider(version), rest);
