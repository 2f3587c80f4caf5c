// The public record of a gateway's hostname in the stack's Azure DNS zone: an A record to the load balancer's IP.
import { RecordSet } from "@pulumi/azure-native/dns/recordSet";
import type * as pulumi from "@pulumi/pulumi";
import type { PublicDnsSeam } from "../seam";
// Called only when the seam is built, after index.ts has finished loading (index.ts imports this file too).
import { parseDnsZoneId } from "./index";

/** Seconds resolvers cache the record: short enough that a replaced load balancer is picked up within minutes. */
export const PUBLIC_RECORD_TTL = 300;

/**
 * The Azure side of the public DNS record; the zone must be in the subscription the stack deploys to. `publicAddress`
 * is the firewall's public IP when egress is enforced (the Gateway then reports the internal load balancer's private
 * address), undefined otherwise.
 */
export function azurePublicDns(zoneId: string, publicAddress?: pulumi.Output<string | undefined>): PublicDnsSeam {
    const { resourceGroupName, zoneName: zone } = parseDnsZoneId(zoneId);
    const zoneName = zone.toLowerCase();
    return {
        recordType: "A",
        publicAddress,
        createRecord: (name, args, opts) =>
            new RecordSet(name, {
                resourceGroupName,
                zoneName,
                recordType: "A",
                // Relative to the zone: openclaw.example.com in example.com is "openclaw".
                relativeRecordSetName: args.hostname.endsWith(`.${zoneName}`) ? args.hostname.slice(0, -zoneName.length - 1) : args.hostname,
                ttl: PUBLIC_RECORD_TTL,
                aRecords: [{ ipv4Address: args.target }],
            }, opts),
    };
}
