// Minimal IPv4/IPv6 CIDR reading for policies: is a range the whole internet, is one range inside another.

export const ANYWHERE = ["0.0.0.0/0", "::/0", "*", "Internet", "Any", "any"] as const;

/** True for a source that means "anyone": 0.0.0.0/0, ::/0, or Azure's `*` / `Internet` / `Any` tags. */
export function isAnywhere(source: string): boolean {
    return (ANYWHERE as readonly string[]).includes(source.trim());
}

interface V4 {
    readonly base: number;
    readonly prefix: number;
}

function parseV4(text: string): V4 | undefined {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text.trim());
    if (!m) {
        return undefined;
    }
    const octets = m.slice(1, 5).map(Number);
    const prefix = m[5] === undefined ? 32 : Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) {
        return undefined;
    }
    const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return { base: (address & mask) >>> 0, prefix };
}

/** True when `inner` lies inside `outer` (IPv4); false when either does not parse. */
export function cidrWithin(inner: string, outer: string): boolean {
    const a = parseV4(inner);
    const b = parseV4(outer);
    if (!a || !b || a.prefix < b.prefix) {
        return false;
    }
    const mask = b.prefix === 0 ? 0 : (0xffffffff << (32 - b.prefix)) >>> 0;
    return ((a.base & mask) >>> 0) === b.base;
}

/** The prefix length of an IPv4 or IPv6 CIDR, or undefined. */
export function prefixOf(cidr: string): number | undefined {
    const m = /\/(\d{1,3})$/.exec(cidr.trim());
    return m ? Number(m[1]) : undefined;
}
