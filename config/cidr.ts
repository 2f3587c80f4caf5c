// Pure IPv4 CIDR arithmetic shared by config validation and the subnet planners of both clouds.

/** An IPv4 network: its first address as an unsigned 32-bit integer and its prefix length. */
export interface Ipv4Network {
    readonly base: number;
    readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns undefined for anything else, including host bits set below the prefix. */
export function parseCidr(text: string): Ipv4Network | undefined {
    const match = CIDR_PATTERN.exec(text);
    if (!match) {
        return undefined;
    }
    const octets = match.slice(1, 5).map(Number);
    const prefix = Number(match[5]);
    if (octets.some((o) => o > 255) || prefix > 32) {
        return undefined;
    }
    const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    if ((address & ~maskOf(prefix)) >>> 0 !== 0) {
        return undefined;
    }
    return { base: address, prefix };
}

/** Like parseCidr, but throws: for values that were validated already. */
export function mustParseCidr(text: string): Ipv4Network {
    const network = parseCidr(text);
    if (!network) {
        throw new Error(`not an IPv4 CIDR: ${text}`);
    }
    return network;
}

export function formatCidr(network: Ipv4Network): string {
    const b = network.base;
    return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${network.prefix}`;
}

function maskOf(prefix: number): number {
    return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Number of addresses in the network. */
export function sizeOf(network: Ipv4Network): number {
    return 2 ** (32 - network.prefix);
}

/** True when every address of `inner` is inside `outer`. */
export function contains(outer: Ipv4Network, inner: Ipv4Network): boolean {
    return inner.prefix >= outer.prefix && (inner.base & maskOf(outer.prefix)) >>> 0 === outer.base;
}

/** True when the two networks share at least one address. */
export function overlaps(a: Ipv4Network, b: Ipv4Network): boolean {
    return contains(a, b) || contains(b, a);
}

/** The `index`-th network of length `prefix` inside `parent`. */
export function subnetAt(parent: Ipv4Network, prefix: number, index: number): Ipv4Network {
    if (prefix < parent.prefix || prefix > 32) {
        throw new RangeError(`/${prefix} does not fit inside /${parent.prefix}`);
    }
    const count = 2 ** (prefix - parent.prefix);
    if (!Number.isInteger(index) || index < 0 || index >= count) {
        throw new RangeError(`index ${index} is outside the ${count} /${prefix} networks of /${parent.prefix}`);
    }
    return { base: (parent.base + index * 2 ** (32 - prefix)) >>> 0, prefix };
}

/** The RFC 1918 private ranges. */
export const PRIVATE_RANGES: readonly string[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/** True when the network lies inside one RFC 1918 range. */
export function isPrivate(network: Ipv4Network): boolean {
    return PRIVATE_RANGES.some((range) => contains(mustParseCidr(range), network));
}
