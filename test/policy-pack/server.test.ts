// The pack as the Pulumi CLI starts it: policy-pack/index.ts serves the analyzer over gRPC; its metadata and a
// verdict come back through the wire protocol the engine uses.
import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { policies } from "../../policy-pack/policies";
import { PROJECT_ROOT } from "../harness/program";

/* eslint-disable @typescript-eslint/no-require-imports -- generated gRPC stubs without useful typings for a client. */
const grpc = require("@grpc/grpc-js");
const services = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const proto = require("@pulumi/pulumi/proto/analyzer_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

type Callback<T> = (err: Error | null, res: T) => void;
interface AnalyzerInfo {
    getName(): string;
    getPoliciesList(): { getName(): string; getEnforcementlevel(): number; getTagsList(): string[]; getRemediationSteps(): string }[];
}
interface AnalyzeResponse {
    getDiagnosticsList(): { getPolicyname(): string; getMessage(): string; getEnforcementlevel(): number }[];
}
interface Client {
    getAnalyzerInfo(req: unknown, cb: Callback<AnalyzerInfo>): void;
    analyze(req: unknown, cb: Callback<AnalyzeResponse>): void;
    close(): void;
}

const call = <T>(fn: (cb: Callback<T>) => void) => new Promise<T>((resolve, reject) => fn((err, res) => (err ? reject(err) : resolve(res))));

describe("the policy pack served over gRPC (as `pulumi preview --policy-pack policy-pack` starts it)", function () {
    this.timeout(120_000);
    let child: ChildProcess | undefined;
    let client: Client | undefined;

    before(async () => {
        const packDir = path.join(PROJECT_ROOT, "policy-pack");
        // The CLI runs the pack in its directory (PolicyPack reads ./package.json for the version) and reads the port
        // it prints on stdout.
        child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "index.ts"], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
        const port = await new Promise<string>((resolve, reject) => {
            let out = "";
            let err = "";
            child?.stdout?.on("data", (d: Buffer) => {
                out += d.toString();
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) {
                    resolve(m[1]);
                }
            });
            child?.stderr?.on("data", (d: Buffer) => (err += d.toString()));
            child?.on("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${err}`)));
        });
        client = new services.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as Client;
    });

    after(() => {
        client?.close();
        child?.kill();
    });

    it("announces every policy as mandatory, with its checklist tags and remediation", async () => {
        const info = await call<AnalyzerInfo>((cb) => (client as Client).getAnalyzerInfo(new Empty(), cb));
        assert.strictEqual(info.getName(), "openclaw-checklist");
        const served = info.getPoliciesList();
        assert.deepStrictEqual(served.map((p) => p.getName()).sort(), policies.map((p) => p.name).sort());
        for (const p of served) {
            assert.strictEqual(p.getEnforcementlevel(), proto.EnforcementLevel.MANDATORY, p.getName());
            assert.ok(p.getTagsList().some((t) => /^(NET|SEC|TLS|LOG|RBAC|CI)-\d$/.test(t)), p.getName());
            assert.ok(p.getRemediationSteps().length > 0, p.getName());
        }
    });

    it("blocks a public EKS endpoint through the engine's analyze call", async () => {
        const req = new proto.AnalyzeRequest();
        req.setType("aws:eks/cluster:Cluster");
        req.setName("cluster");
        req.setUrn("urn:pulumi:dev::openclaw::aws:eks/cluster:Cluster::cluster");
        req.setProperties(Struct.fromJavaScript({ vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] } }));
        req.setOptions(new proto.AnalyzerResourceOptions());
        const response = await call<AnalyzeResponse>((cb) => (client as Client).analyze(req, cb));
        const diagnostics = response.getDiagnosticsList();
        const publicEndpoint = diagnostics.find((d) => d.getPolicyname() === "aws-eks-cluster-disallow-public-endpoint");
        assert.ok(publicEndpoint, JSON.stringify(diagnostics.map((d) => d.getPolicyname())));
        assert.strictEqual(publicEndpoint.getEnforcementlevel(), proto.EnforcementLevel.MANDATORY);
        assert.match(publicEndpoint.getMessage(), /the Kubernetes API is public to 0\.0\.0\.0\/0/);
    });
});
