/**
 * A libvirt network definition as far as the ESX driver reads and writes it: name, UUID,
 * forward mode with its interface pool, bandwidth, and port groups (with esxvi's VLAN tag).
 * Rates are libvirt's units: average/peak/floor in KiB/s, burst in KiB.
 */

export interface BandwidthRate {
  readonly average: bigint;
  readonly peak: bigint;
  readonly burst: bigint;
  readonly floor: bigint;
}

export interface Bandwidth {
  readonly inbound?: BandwidthRate;
  readonly outbound?: BandwidthRate;
}

/** libvirt's forward modes (virNetworkForwardType); "none" is a network without <forward>. */
export const FORWARD_MODES = ["none", "nat", "route", "open", "bridge", "private", "vepa", "passthrough", "hostdev"] as const;
export type ForwardMode = (typeof FORWARD_MODES)[number];

/** One entry of the forward interface pool: a host network device, or a PCI address (hostdev pools). */
export type ForwardInterface = { readonly type: "netdev"; readonly dev: string } | { readonly type: "pci"; readonly address: string };

export interface PortGroupDef {
  readonly name: string;
  readonly isDefault: boolean;
  /** The VLAN tags of <vlan> (ESX: one tag, 0-4095); empty when there is none. */
  readonly vlanTags: readonly number[];
  readonly vlanTrunk: boolean;
  readonly bandwidth?: Bandwidth;
}

export interface NetworkDef {
  readonly name: string;
  /** Set when the XML gave a UUID (libvirt's uuid_specified). */
  readonly uuid?: string;
  readonly forward: { readonly mode: ForwardMode; readonly interfaces: readonly ForwardInterface[] };
  readonly bandwidth?: Bandwidth;
  readonly portgroups: readonly PortGroupDef[];
}
