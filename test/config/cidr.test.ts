// Properties of the CIDR arithmetic every subnet planner builds on.
import * as assert from "assert";
import fc from "fast-check";
import { contains, formatCidr, overlaps, parseCidr, sizeOf, subnetAt } from "../../config/cidr";

const network = fc
    .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }))
    .map(([address, prefix]) => ({ base: prefix === 0 ? 0 : (address & ((0xffffffff << (32 - prefix)) >>> 0)) >>> 0, prefix }));

describe("cidr", () => {
    it("formats and parses back to the same network", () => {
        fc.assert(fc.property(network, (n) => assert.deepStrictEqual(parseCidr(formatCidr(n)), n)));
    });

    it("refuses host bits, octets over 255 and prefixes over 32", () => {
        for (const bad of ["10.0.0.1/16", "256.0.0.0/8", "10.0.0.0/33", "10.0.0.0", "10.0.0/8", " 10.0.0.0/8"]) {
            assert.strictEqual(parseCidr(bad), undefined, bad);
        }
    });

    it("places every subnet inside its parent, and distinct indexes never overlap", () => {
        fc.assert(
            fc.property(
                network.filter((n) => n.prefix <= 28),
                fc.integer({ min: 0, max: 4 }),
                fc.nat(),
                fc.nat(),
                (parent, extra, i, j) => {
                    const prefix = parent.prefix + extra;
                    const count = 2 ** extra;
                    const a = subnetAt(parent, prefix, i % count);
                    const b = subnetAt(parent, prefix, j % count);
                    assert.ok(contains(parent, a));
                    assert.strictEqual(sizeOf(a), sizeOf(parent) / count);
                    assert.strictEqual(overlaps(a, b), i % count === j % count);
                },
            ),
        );
    });

    it("refuses an index outside the parent", () => {
        assert.throws(() => subnetAt(parseCidr("10.0.0.0/16")!, 18, 4), /outside/);
        assert.throws(() => subnetAt(parseCidr("10.0.0.0/16")!, 15, 0), /does not fit/);
    });
});
