/**
 * The managed objects and methods of 7.0 that pyVmomi's 6.7 tables do not describe are typed
 * in the bindings (declared by hand in schema/managed-objects.vi): their `_this`, parameters,
 * returns, the ServiceContent and HostConfigManager members that point at them, and their
 * properties. compiledOnly is compiled, not run (the build fails when a typing regresses); the
 * tests run what the stubs put on the wire.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  AbortCustomization_Task,
  DisableAlarm,
  GetSiteInfo,
  HttpNfcLeaseProbeUrls,
  QueryConnections,
  QueryHostsWithAttachedLun,
  RetrieveServiceProviderEntities,
  UpdateAssignableHardwareConfig,
  type HostAssignableHardwareManagerProperties,
  type HostConfigManager,
  type ServiceContent,
} from "../../generated/index.js";
import type { ManagedObjectTypes } from "../../generated/managed.js";
import { moRef, type MoRef, type SoapCaller } from "../../runtime/soap/index.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Extends<A, B> = [A] extends [B] ? true : false;
const typeIs = <T extends boolean>(_: T): void => undefined;

export async function compiledOnly(client: SoapCaller, sc: ServiceContent, hcm: HostConfigManager): Promise<void> {
  const vm = moRef("VirtualMachine", "vm-1");
  const host = moRef("HostSystem", "host-1");
  // ServiceContent and HostConfigManager point at the 7.0 managed objects.
  typeIs<Equal<typeof sc.siteInfoManager, MoRef<"SiteInfoManager"> | undefined>>(true);
  typeIs<Equal<typeof sc.storageQueryManager, MoRef<"StorageQueryManager"> | undefined>>(true);
  typeIs<Equal<typeof sc.tenantManager, MoRef<"TenantTenantManager"> | undefined>>(true);
  typeIs<Equal<typeof sc.guestCustomizationManager, MoRef<"VirtualMachineGuestCustomizationManager"> | undefined>>(true);
  typeIs<Equal<typeof hcm.assignableHardwareManager, MoRef<"HostAssignableHardwareManager"> | undefined>>(true);
  if (sc.siteInfoManager !== undefined) await GetSiteInfo(client, sc.siteInfoManager);
  // @ts-expect-error a StorageQueryManager is not a SiteInfoManager
  if (sc.storageQueryManager !== undefined) await GetSiteInfo(client, sc.storageQueryManager);
  // Returns are typed by managed object type.
  if (sc.storageQueryManager !== undefined) {
    const hosts = await QueryHostsWithAttachedLun(client, sc.storageQueryManager, { lunUuid: "0100" });
    typeIs<Equal<typeof hosts, MoRef<"HostSystem">[]>>(true);
  }
  if (sc.tenantManager !== undefined) {
    const entities = await RetrieveServiceProviderEntities(client, sc.tenantManager);
    // A ManagedEntity slot holds any of its subtypes, and nothing else.
    typeIs<Extends<MoRef<"Datacenter">, (typeof entities)[number]>>(true);
    typeIs<Extends<MoRef<"Task">, (typeof entities)[number]>>(false);
  }
  // A method of 7.0 on a managed object pyVmomi 6.7 already had takes that type.
  const connections = await QueryConnections(client, vm);
  void connections;
  // @ts-expect-error a HostSystem is not a VirtualMachine
  await QueryConnections(client, host);
  if (sc.guestCustomizationManager !== undefined) {
    const task = await AbortCustomization_Task(client, sc.guestCustomizationManager, { vm, auth: { _typeName: "NamePasswordAuthentication", interactiveSession: false, username: "u", password: "p" } });
    typeIs<Equal<typeof task, MoRef<"Task">>>(true);
    // @ts-expect-error the vm parameter is a VirtualMachine
    await AbortCustomization_Task(client, sc.guestCustomizationManager, { vm: host, auth: { _typeName: "NamePasswordAuthentication", interactiveSession: false, username: "u", password: "p" } });
  }
  if (hcm.assignableHardwareManager !== undefined) await UpdateAssignableHardwareConfig(client, hcm.assignableHardwareManager, { config: {} });
  // Properties of the 7.0 managed objects are typed for retrieval.
  typeIs<Equal<ManagedObjectTypes["HostAssignableHardwareManager"], HostAssignableHardwareManagerProperties>>(true);
  typeIs<Equal<ManagedObjectTypes["ResourcePool"]["namespace"], string | undefined>>(true);
  typeIs<Equal<ManagedObjectTypes["ComputeResource"]["lifecycleManaged"], boolean | undefined>>(true);
  await HttpNfcLeaseProbeUrls(client, moRef("HttpNfcLease", "lease-1"), { files: [] });
}

/** A caller that keeps the request bodies the stubs encode. */
function recorder(): { client: SoapCaller; bodies: string[] } {
  const bodies: string[] = [];
  const client: SoapCaller = {
    async invoke(reg, method, args) {
      await reg.load(method);
      bodies.push(reg.method(method).encodeBody(args));
      return undefined;
    },
    bound(member) {
      throw new Error(`no ServiceContent here (${member})`);
    },
  };
  return { client, bodies };
}

test("the stubs of 7.0 methods send _this and references with their managed object types", async () => {
  const { client, bodies } = recorder();
  await GetSiteInfo(client, moRef("SiteInfoManager", "SiteInfoManager"));
  await DisableAlarm(client, moRef("AlarmManager", "AlarmManager"), { alarm: moRef("Alarm", "alarm-1"), entity: moRef("Datacenter", "datacenter-2") });
  assert.equal(bodies, [
    '<GetSiteInfo xmlns="urn:vim25"><_this type="SiteInfoManager">SiteInfoManager</_this></GetSiteInfo>',
    '<DisableAlarm xmlns="urn:vim25"><_this type="AlarmManager">AlarmManager</_this><alarm type="Alarm">alarm-1</alarm><entity type="Datacenter">datacenter-2</entity></DisableAlarm>',
  ]);
});

test.run();
