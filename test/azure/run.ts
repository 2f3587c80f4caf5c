// Runs the Azure platform alone under the recording mocks, from the Azure example stack plus overrides.
import * as pulumi from "@pulumi/pulumi";
import { readConfig } from "../../config/read";
import { AzurePlatform } from "../../components/azure";
import type { PlatformSeam } from "../../components/seam";
import { ProgramRun, RecordedResource, runProgram, RunOptions } from "../harness/program";

export interface AzureRun extends ProgramRun {
    readonly seam: PlatformSeam;
    /** Every recorded resource of a type (`azure-native:keyvault:Vault`, ...). */
    ofType(type: string): RecordedResource[];
    /** The one resource of a type; fails when there is not exactly one. */
    one(type: string): RecordedResource;
}

/** The Azure platform on its own: the Kubernetes layer is tested with its own suite. */
export async function runAzure(options: Omit<RunOptions, "program"> = {}): Promise<AzureRun> {
    let seam: PlatformSeam | undefined;
    const run = await runProgram({
        stack: "dev-azure",
        ...options,
        program: () => {
            const platform = new AzurePlatform("openclaw", { config: readConfig() });
            seam = platform.seam;
            return platform.seam.outputs;
        },
    });
    if (!seam) {
        throw new Error("the platform returned no seam");
    }
    const ofType = (type: string) => run.resources.filter((r) => r.type === type);
    const one = (type: string) => {
        const found = ofType(type);
        if (found.length !== 1) {
            throw new Error(`expected one ${type}, found ${found.length}`);
        }
        return found[0];
    };
    return { ...run, seam, ofType, one };
}

/** A value with a Pulumi secret's wrapper removed (secret inputs are recorded wrapped). */
export function plain(value: unknown): unknown {
    const record = value as Record<string, unknown> | null | undefined;
    return record && typeof record === "object" && record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig ? plain(record.value) : value;
}

/** A nested input, e.g. `get(r, "properties", "enablePurgeProtection")`, through secret wrappers. */
export function get(resource: RecordedResource, ...path: string[]): unknown {
    return path.reduce<unknown>((value, key) => plain((plain(value) as Record<string, unknown> | undefined)?.[key]), resource.inputs);
}
