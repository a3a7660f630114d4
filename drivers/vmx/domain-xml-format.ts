/** Domain model -> libvirt domain XML, byte for byte as virDomainDefFormat writes it. */
import { formatCpuset } from "./cpuset.js";
import { formatDevices } from "./domain-xml-format-devices.js";
import { VMWARE_NAMESPACE_URI, type DomainDef } from "./domain-model.js";
import { XmlWriter } from "./xml-writer.js";

function formatMemory(w: XmlWriter, def: DomainDef): void {
  w.text("memory", def.memory.total, [["unit", "KiB"]]);
  w.text("currentMemory", def.memory.current, [["unit", "KiB"]]);
  if (def.memory.minGuarantee > 0) {
    w.open("memtune", [], () => w.text("min_guarantee", def.memory.minGuarantee, [["unit", "KiB"]]));
  }
}

function formatVcpu(w: XmlWriter, def: DomainDef): void {
  const v = def.vcpu;
  w.text("vcpu", v.max, [
    ["placement", v.placement],
    ["cpuset", v.cpuset === undefined || v.cpuset.length === 0 ? undefined : formatCpuset(v.cpuset)],
    ["current", v.current < v.max ? v.current : undefined],
  ]);
  if (def.cputuneShares !== undefined) {
    const shares = def.cputuneShares;
    w.open("cputune", [], () => w.text("shares", shares));
  }
}

function formatOs(w: XmlWriter, def: DomainDef): void {
  const os = def.os;
  w.open("os", [["firmware", os.firmware]], () => {
    w.text("type", os.type, [
      ["arch", os.arch],
      ["machine", os.machine],
    ]);
    const f = os.firmwareFeatures;
    if (f !== undefined) {
      w.maybeOpen(
        "firmware",
        [],
        () => {
          const yesNo = (b: boolean | undefined): string | undefined => (b === undefined ? undefined : b ? "yes" : "no");
          if (f.enrolledKeys !== undefined)
            w.empty("feature", [
              ["enabled", yesNo(f.enrolledKeys)],
              ["name", "enrolled-keys"],
            ]);
          if (f.secureBoot !== undefined)
            w.empty("feature", [
              ["enabled", yesNo(f.secureBoot)],
              ["name", "secure-boot"],
            ]);
        },
        true,
      );
    }
    for (const dev of os.bootDevices ?? []) w.empty("boot", [["dev", dev]]);
    if (os.smbiosMode !== undefined && os.smbiosMode !== "none") w.empty("smbios", [["mode", os.smbiosMode]]);
  });
}

function formatCpu(w: XmlWriter, def: DomainDef): void {
  const cpu = def.cpu;
  if (cpu === undefined) return;
  w.open("cpu", [["mode", cpu.mode === "custom" ? undefined : cpu.mode]], () => {
    w.empty("topology", [
      ["sockets", cpu.sockets],
      ["dies", cpu.dies],
      ["clusters", cpu.clusters],
      ["cores", cpu.cores],
      ["threads", cpu.threads],
    ]);
  });
}

function formatNamespace(w: XmlWriter, def: DomainDef): void {
  const ns = def.vmware;
  if (ns === undefined) return;
  w.text("vmware:datacenterpath", ns.datacenterPath);
  w.text("vmware:moref", ns.moref);
}

/** Formats a domain as libvirt domain XML (with the vmware namespace when it has data). */
export function formatDomainXml(def: DomainDef): string {
  const w = new XmlWriter();
  const nsAttr = def.vmware === undefined ? undefined : VMWARE_NAMESPACE_URI;
  w.open(
    "domain",
    [
      ["type", def.virtType],
      ["xmlns:vmware", nsAttr],
    ],
    () => {
      w.text("name", def.name);
      w.text("uuid", def.uuid);
      w.text("genid", def.genid);
      w.text("description", def.description);
      formatMemory(w, def);
      formatVcpu(w, def);
      formatOs(w, def);
      formatCpu(w, def);
      w.empty("clock", [["offset", def.clockOffset]]);
      w.text("on_poweroff", def.onPoweroff);
      w.text("on_reboot", def.onReboot);
      w.text("on_crash", def.onCrash);
      formatDevices(w, def);
      formatNamespace(w, def);
    },
  );
  return w.toString();
}
