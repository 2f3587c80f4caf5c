// Properties of the AWS subnet plan: every subnet inside the VPC, none overlapping, one per tier and zone, stable.
import * as assert from "assert";
import * as fc from "fast-check";
import { contains, formatCidr, mustParseCidr, overlaps, sizeOf } from "../../config/cidr";
import { planSubnets, SUBNET_TIERS } from "../../components/aws/network";

/** Any private VPC CIDR the config accepts: inside 10/8, 172.16/12 or 192.168/16, prefix /16 to /20. */
const vpcCidr = fc
    .record({
        range: fc.constantFrom("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"),
        prefix: fc.integer({ min: 16, max: 20 }),
        index: fc.nat(),
    })
    .filter(({ range, prefix }) => mustParseCidr(range).prefix <= prefix)
    .map(({ range, prefix, index }) => {
        const parent = mustParseCidr(range);
        const count = 2 ** (prefix - parent.prefix);
        return formatCidr({ base: (parent.base + (index % count) * 2 ** (32 - prefix)) >>> 0, prefix });
    });
const zones = fc.integer({ min: 2, max: 3 });

describe("AWS subnet plan", () => {
    it("puts every subnet inside the VPC CIDR", () => {
        fc.assert(fc.property(vpcCidr, zones, (cidr, z) => planSubnets(cidr, z).every((s) => contains(mustParseCidr(cidr), mustParseCidr(s.cidr)))));
    });

    it("never overlaps two subnets", () => {
        fc.assert(
            fc.property(vpcCidr, zones, (cidr, z) => {
                const subnets = planSubnets(cidr, z).map((s) => mustParseCidr(s.cidr));
                return subnets.every((a, i) => subnets.every((b, j) => i === j || !overlaps(a, b)));
            }),
        );
    });

    it("has exactly one public, one private and one isolated subnet in each zone", () => {
        fc.assert(
            fc.property(vpcCidr, zones, (cidr, z) => {
                const plan = planSubnets(cidr, z);
                return SUBNET_TIERS.every((tier) => {
                    const inTier = plan.filter((s) => s.tier === tier).map((s) => s.zoneIndex).sort();
                    return JSON.stringify(inTier) === JSON.stringify([...Array(z).keys()]);
                });
            }),
        );
    });

    it("gives the node subnets (where the VPC CNI takes pod addresses) a quarter of the VPC each", () => {
        fc.assert(
            fc.property(vpcCidr, zones, (cidr, z) =>
                planSubnets(cidr, z)
                    .filter((s) => s.tier === "private")
                    .every((s) => sizeOf(mustParseCidr(s.cidr)) === sizeOf(mustParseCidr(cidr)) / 4)),
        );
    });

    it("keeps a zone's subnets where they are when a third zone is added", () => {
        fc.assert(
            fc.property(vpcCidr, (cidr) => {
                const two = planSubnets(cidr, 2);
                const three = planSubnets(cidr, 3);
                return two.every((s) => three.some((t) => t.tier === s.tier && t.zoneIndex === s.zoneIndex && t.cidr === s.cidr));
            }),
        );
    });

    it("refuses a zone count outside 1 to 3", () => {
        assert.throws(() => planSubnets("10.0.0.0/16", 0), RangeError);
        assert.throws(() => planSubnets("10.0.0.0/16", 4), RangeError);
    });
});
