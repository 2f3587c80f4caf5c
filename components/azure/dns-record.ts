// The public record of a gateway's hostname in the stack's Azure DNS zone: an A record to the load balancer's IP.
import { RecordSet } from "@pulumi/azure-native/dns/recordSet";
import type { PublicDnsSeam } from "../seam";

/** Seconds resolvers cache the record: short enough that a replaced load balancer is picked up within minutes. */
export const PUBLIC_RECORD_TTL = 300;

/** The resource group and zone name in an Azure DNS zone resource id (/subscriptions/.../resourceGroups/<rg>/providers/Microsoft.Network/dnszones/<zone>). */
export function parseDnsZoneId(zoneId: string): { readonly resourceGroupName: string; readonly zoneName: string } {
    const match = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/dnszones\/([^/]+)$/i.exec(zoneId);
    if (!match) {
        throw new Error(`not an Azure DNS zone resource id: ${zoneId}`);
    }
    return { resourceGroupName: match[1], zoneName: match[2].toLowerCase() };
}

/** The Azure side of the public DNS record; the zone must be in the subscription the stack deploys to. */
export function azurePublicDns(zoneId: string): PublicDnsSeam {
    const { resourceGroupName, zoneName } = parseDnsZoneId(zoneId);
    return {
        recordType: "A",
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
