// Private endpoints and the privatelink.* private DNS zones that make the services' names resolve to them (NET-6).
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as pulumi from "@pulumi/pulumi";
import type { Placement } from "./placement";

/**
 * The private DNS zones of every service the stack reaches privately, keyed by what uses them
 * (https://learn.microsoft.com/azure/private-link/private-endpoint-dns). Azure Monitor's private link scope
 * needs five zones; its blob zone is the same one the archive's endpoint uses.
 */
export const PRIVATE_DNS_ZONES = {
    keyVault: "privatelink.vaultcore.azure.net",
    blob: "privatelink.blob.core.windows.net",
    monitor: "privatelink.monitor.azure.com",
    monitorOms: "privatelink.oms.opinsights.azure.com",
    monitorOds: "privatelink.ods.opinsights.azure.com",
    monitorAgentService: "privatelink.agentsvc.azure-automation.net",
} as const;

export type PrivateZone = keyof typeof PRIVATE_DNS_ZONES;

export interface PrivateDnsZonesArgs {
    /** The stack's resource group (private DNS zones are global; they have no region). */
    readonly resourceGroupName: pulumi.Input<string>;
    /** The VNet every zone is linked to (no auto-registration). */
    readonly vnetId: pulumi.Input<string>;
}

/** Every zone of PRIVATE_DNS_ZONES, linked to the VNet. */
export class PrivateDnsZones extends pulumi.ComponentResource {
    readonly zoneIds: Readonly<Record<PrivateZone, pulumi.Output<string>>>;

    constructor(name: string, args: PrivateDnsZonesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:azure:PrivateDnsZones", name, {}, opts);
        const zoneIds = {} as Record<PrivateZone, pulumi.Output<string>>;
        for (const [key, zoneName] of Object.entries(PRIVATE_DNS_ZONES) as [PrivateZone, string][]) {
            const zone = new privatedns.PrivateZone(`${name}-${key}`, {
                resourceGroupName: args.resourceGroupName, privateZoneName: zoneName, location: "global",
            }, { parent: this });
            new privatedns.VirtualNetworkLink(`${name}-${key}-link`, {
                resourceGroupName: args.resourceGroupName, privateZoneName: zone.name, location: "global",
                virtualNetwork: { id: args.vnetId }, registrationEnabled: false,
            }, { parent: this });
            zoneIds[key] = zone.id;
        }
        this.zoneIds = zoneIds;
        this.registerOutputs({});
    }
}

export interface PrivateEndpointArgs extends Placement {
    /** The private-endpoint subnet. */
    readonly subnetId: pulumi.Input<string>;
    /** The resource the endpoint connects to. */
    readonly targetId: pulumi.Input<string>;
    /** The target's sub-resource (`vault`, `blob`, `azuremonitor`). */
    readonly groupId: string;
    /** The private DNS zones the endpoint's records are written to. */
    readonly dnsZoneIds: readonly pulumi.Input<string>[];
}

/** One private endpoint with its DNS zone group, so the target's public name resolves to the private address. */
export class PrivateEndpoint extends pulumi.ComponentResource {
    readonly endpoint: network.PrivateEndpoint;

    constructor(name: string, args: PrivateEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:azure:PrivateEndpoint", name, {}, opts);
        this.endpoint = new network.PrivateEndpoint(`${name}-pe`, {
            resourceGroupName: args.resourceGroupName, location: args.location,
            subnet: { id: args.subnetId },
            privateLinkServiceConnections: [{ name: args.groupId, privateLinkServiceId: args.targetId, groupIds: [args.groupId] }],
        }, { parent: this });
        new network.PrivateDnsZoneGroup(`${name}-dns`, {
            resourceGroupName: args.resourceGroupName, privateEndpointName: this.endpoint.name, privateDnsZoneGroupName: "default",
            privateDnsZoneConfigs: args.dnsZoneIds.map((id, i) => ({ name: `zone-${i}`, privateDnsZoneId: id })),
        }, { parent: this });
        this.registerOutputs({ endpointId: this.endpoint.id });
    }
}
