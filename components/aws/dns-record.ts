// The public record of a gateway's hostname in the stack's Route 53 hosted zone: a CNAME to the NLB's DNS name.
import { Record } from "@pulumi/aws/route53/record";
import type { PublicDnsSeam } from "../seam";

/** Seconds resolvers cache the record: short enough that a replaced load balancer is picked up within minutes. */
export const PUBLIC_RECORD_TTL = 300;

/**
 * The AWS side of the public DNS record. A CNAME, not an alias: the NLB's hosted zone id is not known to the program
 * (the AWS Load Balancer Controller creates the NLB), and a CNAME serves any name below the zone apex.
 */
export function awsPublicDns(zoneId: string): PublicDnsSeam {
    return {
        recordType: "CNAME",
        createRecord: (name, args, opts) => new Record(name, { zoneId, name: args.hostname, type: "CNAME", ttl: PUBLIC_RECORD_TTL, records: [args.target] }, opts),
    };
}
