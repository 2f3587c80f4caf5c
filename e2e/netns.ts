// A network namespace standing in for the OpenClaw pod, joined to this host by a veth pair: the gateway runs inside
// it (its own loopback, like the pod's), and this process plays the ingress proxy from the host end of the pair.
// Only addresses this file creates are used: one /29 of 10.213.0.0/16 that no route of this host covers yet.
import { spawnSync } from "child_process";
import { randomBytes } from "crypto";

/** Root runs `ip` directly; anyone else needs passwordless sudo (GitHub's runners have it). */
const PRIVILEGE: readonly string[] = typeof process.getuid === "function" && process.getuid() === 0 ? [] : ["sudo", "-n"];

function ip(args: readonly string[]): string {
    const result = spawnSync(PRIVILEGE[0] ?? "ip", [...PRIVILEGE.slice(1), ...(PRIVILEGE.length > 0 ? ["ip"] : []), ...args], { encoding: "utf8", timeout: 15_000 });
    if (result.status !== 0) {
        throw new Error(`ip ${args.join(" ")} failed (${result.status}): ${result.stderr || result.error?.message || ""}`.trim());
    }
    return result.stdout;
}

/** Whether this process may create a network namespace (root, or passwordless sudo). */
export function canCreateNetworkNamespace(): boolean {
    try {
        ip(["netns", "list"]);
        return true;
    } catch {
        return false;
    }
}

export class PodNetwork {
    readonly name: string;
    /** The pod's address (inside the namespace), where the gateway listens. */
    readonly podAddress: string;
    /** The stand-in ingress proxy's address (host end of the veth), the one the gateway trusts. */
    readonly proxyAddress: string;
    /** A second host-end address the gateway does not trust: a client that bypasses the proxy. */
    readonly strangerAddress: string;
    private readonly hostLink: string;

    private constructor(suffix: string, subnet: number) {
        this.name = `oc-e2e-${suffix}`;
        this.hostLink = `oce${suffix}h`;
        this.podAddress = `10.213.${subnet}.1`;
        this.proxyAddress = `10.213.${subnet}.2`;
        this.strangerAddress = `10.213.${subnet}.3`;
    }

    /** Creates the namespace, the veth pair and the three addresses; loopback inside is up (as in a pod). */
    static create(): PodNetwork {
        const routes = ip(["-4", "route", "show"]);
        const free = [...Array(256).keys()].filter((n) => !routes.includes(`10.213.${n}.`) && !/^10\.213\.0\.0\/16|^10\.0\.0\.0\/8/m.test(routes));
        if (free.length === 0) {
            throw new Error("no free /29 in 10.213.0.0/16 on this host");
        }
        const network = new PodNetwork(randomBytes(3).toString("hex"), free[randomBytes(1)[0] % free.length]);
        const podLink = `${network.hostLink.slice(0, -1)}p`;
        try {
            ip(["netns", "add", network.name]);
            ip(["link", "add", network.hostLink, "type", "veth", "peer", "name", podLink]);
            ip(["link", "set", podLink, "netns", network.name]);
            ip(["addr", "add", `${network.proxyAddress}/29`, "dev", network.hostLink]);
            ip(["addr", "add", `${network.strangerAddress}/29`, "dev", network.hostLink]);
            ip(["link", "set", network.hostLink, "up"]);
            ip(["-n", network.name, "addr", "add", `${network.podAddress}/29`, "dev", podLink]);
            ip(["-n", network.name, "link", "set", podLink, "up"]);
            ip(["-n", network.name, "link", "set", "lo", "up"]);
        } catch (error) {
            network.remove();
            throw error;
        }
        return network;
    }

    /** The command prefix that runs a program inside the namespace (sudo keeps the environment: -E). */
    exec(command: readonly string[]): string[] {
        return [...(PRIVILEGE.length > 0 ? [...PRIVILEGE, "-E"] : []), "ip", "netns", "exec", this.name, ...command];
    }

    /** Deletes the namespace (which deletes the veth pair with it). */
    remove(): void {
        try {
            ip(["link", "del", this.hostLink]);
        } catch {
            // already gone with the namespace
        }
        try {
            ip(["netns", "del", this.name]);
        } catch {
            // never created
        }
    }
}
