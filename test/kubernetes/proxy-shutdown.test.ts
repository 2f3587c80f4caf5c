// The proxies' drain on the read-only root filesystem: the shutdown-manager sidecar can write the file that ends it.
import * as assert from "assert";
import * as path from "path";
import { FAKE_PLATFORMS } from "./fake-seam";
import { buildLayer, objectsOfKind } from "./layer-run";

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v ?? {}) as Obj;

/** envoyproxy/gateway internal/cmd/envoy/shutdown_manager.go (v1.9.0, main d32f282942): `ShutdownReadyFile`. */
const SHUTDOWN_READY_FILE = "/tmp/shutdown-ready";

for (const platform of FAKE_PLATFORMS) {
    describe(`proxy shutdown on the ${platform} seam`, () => {
        it("gives the read-only shutdown-manager a bounded emptyDir where it writes the file that ends the drain", async () => {
            const [proxy] = objectsOfKind(await buildLayer(platform), "EnvoyProxy");
            const deployment = o(o(o(o(proxy.spec).provider).kubernetes).envoyDeployment);
            const containers = o(o(o(o(o(deployment.patch).value).spec).template).spec).containers as Obj[];
            const manager = containers.find((c) => c.name === "shutdown-manager");
            assert.ok(manager, "the patch names the shutdown-manager container");
            assert.strictEqual(o(manager.securityContext).readOnlyRootFilesystem, true);
            const mounts = (manager.volumeMounts ?? []) as Obj[];
            const scratch = mounts.find((m) => m.mountPath === path.posix.dirname(SHUTDOWN_READY_FILE));
            assert.ok(scratch, `a volume mounted at ${path.posix.dirname(SHUTDOWN_READY_FILE)}; mounts: ${JSON.stringify(mounts)}`);
            assert.notStrictEqual(scratch.readOnly, true);
            const volume = ((o(deployment.pod).volumes ?? []) as Obj[]).find((v) => v.name === scratch.name);
            assert.ok(volume?.emptyDir, `pod volume ${String(scratch.name)} is an emptyDir`);
            assert.ok(o(volume.emptyDir).sizeLimit, "with a size limit");
        });
    });
}
