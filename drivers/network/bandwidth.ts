/**
 * libvirt's <bandwidth> and vSphere's traffic shaping policy, converted as libvirt's ESX
 * network driver does: average and peak KiB/s <-> bit/s (x 8 x 1000), burst KiB <-> bytes
 * (x 1024); a disabled or absent policy is no bandwidth; inbound and outbound must be equal
 * because a shaping policy has one set of values.
 */
import { UnsupportedError } from "../../errors/esxvi-error.js";
import type { HostNetworkTrafficShapingPolicy } from "../../generated/network.js";
import type { Bandwidth, BandwidthRate } from "./network-def.js";

const ZERO: BandwidthRate = { average: 0n, peak: 0n, burst: 0n, floor: 0n };

function sameRate(a: BandwidthRate, b: BandwidthRate): boolean {
  return a.average === b.average && a.peak === b.peak && a.burst === b.burst;
}

/** The bandwidth of a shaping policy (libvirt's esxShapingPolicyToBandwidth); undefined when shaping is off. */
export function bandwidthFromShaping(policy: HostNetworkTrafficShapingPolicy | undefined): Bandwidth | undefined {
  if (policy === undefined || policy.enabled !== true) return undefined;
  const rate: BandwidthRate = {
    average: policy.averageBandwidth !== undefined ? policy.averageBandwidth / 8n / 1000n : 0n,
    peak: policy.peakBandwidth !== undefined ? policy.peakBandwidth / 8n / 1000n : 0n,
    burst: policy.burstSize !== undefined ? policy.burstSize / 1024n : 0n,
    floor: 0n,
  };
  return { inbound: rate, outbound: rate };
}

/**
 * The shaping policy for a bandwidth (libvirt's esxBandwidthToShapingPolicy); undefined when
 * every rate is zero. Throws CONFIG_UNSUPPORTED when inbound and outbound differ.
 */
export function shapingFromBandwidth(bandwidth: Bandwidth): HostNetworkTrafficShapingPolicy | undefined {
  const { inbound, outbound } = bandwidth;
  if (inbound === undefined || outbound === undefined || !sameRate(inbound, outbound)) {
    throw new UnsupportedError("Different inbound and outbound bandwidth is unsupported", { code: "CONFIG_UNSUPPORTED" });
  }
  if (sameRate(inbound, ZERO)) return undefined;
  return {
    _typeName: "HostNetworkTrafficShapingPolicy",
    enabled: true,
    ...(inbound.average > 0n ? { averageBandwidth: inbound.average * 8n * 1000n } : {}),
    ...(inbound.peak > 0n ? { peakBandwidth: inbound.peak * 8n * 1000n } : {}),
    ...(inbound.burst > 0n ? { burstSize: inbound.burst * 1024n } : {}),
  };
}
