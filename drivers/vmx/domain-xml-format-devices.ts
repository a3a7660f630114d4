/** Domain XML formatting of the `<devices>` children, in libvirt's element and attribute order. */
import type {
  ChrDef,
  ControllerDef,
  DeviceAddress,
  DiskDef,
  DomainDef,
  FilesystemDef,
  GraphicsDef,
  InputDef,
  NetDef,
  VideoDef,
} from "./domain-model.js";
import { isDriveAddress } from "./domain-model.js";
import type { XmlWriter } from "./xml-writer.js";

function formatAddress(w: XmlWriter, address: DeviceAddress | undefined): void {
  if (address === undefined) return;
  if (isDriveAddress(address)) {
    w.empty("address", [
      ["type", "drive"],
      ["controller", address.controller],
      ["bus", address.bus],
      ["target", address.target],
      ["unit", address.unit],
    ]);
    return;
  }
  const other = address as { type: string; attributes: Readonly<Record<string, string>> };
  w.empty("address", [["type", other.type], ...Object.entries(other.attributes)]);
}

function formatDisk(w: XmlWriter, disk: DiskDef): void {
  w.open(
    "disk",
    [
      ["type", disk.type],
      ["device", disk.device],
    ],
    () => {
      w.empty(
        "driver",
        [
          ["name", disk.driverName],
          ["type", disk.driverType],
          ["cache", disk.cache === "default" ? undefined : disk.cache],
        ],
        true,
      );
      const sourceAttr = disk.type === "block" ? "dev" : disk.type === "dir" ? "dir" : "file";
      w.empty(
        "source",
        [
          [sourceAttr, disk.source],
          ["startupPolicy", disk.startupPolicy],
        ],
        true,
      );
      w.empty("target", [
        ["dev", disk.dst],
        ["bus", disk.bus],
      ]);
      if (disk.readonly === true) w.empty("readonly");
      if (disk.shareable === true) w.empty("shareable");
      if (disk.transient === true) w.empty("transient");
      formatAddress(w, disk.address);
    },
  );
}

function formatController(w: XmlWriter, c: ControllerDef): void {
  w.maybeOpen(
    "controller",
    [
      ["type", c.type],
      ["index", c.index],
      ["model", c.model],
    ],
    () => formatAddress(w, c.address),
  );
}

function formatFilesystem(w: XmlWriter, fs: FilesystemDef): void {
  w.open(
    "filesystem",
    [
      ["type", fs.type],
      ["accessmode", fs.accessMode],
    ],
    () => {
      const attr = fs.type === "block" ? "dev" : fs.type === "file" ? "file" : "dir";
      w.empty("source", [[attr, fs.source]], true);
      w.empty("target", [["dir", fs.target]]);
      if (fs.readonly) w.empty("readonly");
    },
  );
}

function formatNetSource(w: XmlWriter, net: NetDef): void {
  if (net.type === "bridge") {
    w.empty("source", [["bridge", net.bridge]], true);
  } else if (net.type === "vds" && net.vds !== undefined) {
    const v = net.vds;
    w.empty("source", [
      ["switchid", v.switchId],
      ["portid", v.portId === 0 ? undefined : v.portId],
      ["portgroupid", v.portgroupId],
      ["connectionid", v.connectionId === 0 ? undefined : v.connectionId],
    ]);
  } else if (net.sourceAttributes !== undefined) {
    w.empty("source", Object.entries(net.sourceAttributes), true);
  }
}

function formatNet(w: XmlWriter, net: NetDef): void {
  w.open("interface", [["type", net.type]], () => {
    w.empty("mac", [
      ["address", net.mac],
      ["type", net.macType],
      ["check", net.macCheck === undefined ? undefined : net.macCheck ? "yes" : "no"],
    ]);
    formatNetSource(w, net);
    w.empty("target", [["dev", net.ifname]], true);
    w.empty("model", [["type", net.model]], true);
  });
}

function formatChrSource(w: XmlWriter, chr: ChrDef): void {
  const s = chr.source;
  switch (s.type) {
    case "dev":
    case "file":
    case "pipe":
    case "pty":
    case "unix":
      w.empty("source", [["path", s.path]], true);
      return;
    case "tcp":
    case "udp":
      w.empty("source", [
        ["mode", s.listen === true ? "bind" : "connect"],
        ["host", s.host],
        ["service", s.service],
      ]);
      if (s.type === "tcp") w.empty("protocol", [["type", s.protocol ?? "raw"]]);
      return;
    default:
      return;
  }
}

function formatChr(w: XmlWriter, element: "serial" | "parallel" | "console", chr: ChrDef): void {
  w.open(element, [["type", chr.source.type]], () => {
    formatChrSource(w, chr);
    w.empty("target", [
      ["type", element === "parallel" ? undefined : chr.targetType],
      ["port", chr.port],
    ]);
  });
}

/** Consoles of hvm guests whose target is serial alias the serial port of the same index. */
function formatConsoles(w: XmlWriter, def: DomainDef): void {
  def.consoles.forEach((console, n) => {
    const serial = def.serials[n];
    const aliased = (console.targetType === "serial" || console.targetType === undefined) && serial !== undefined;
    const shown: ChrDef = aliased ? { ...serial, targetType: "serial" } : console;
    formatChr(w, "console", shown);
  });
}

function formatInput(w: XmlWriter, input: InputDef): void {
  w.empty("input", [
    ["type", input.type],
    ["bus", input.bus],
  ]);
}

function formatGraphics(w: XmlWriter, g: GraphicsDef): void {
  const first = g.listens[0];
  const attrs: [string, string | number | undefined][] = [["type", g.type]];
  if (g.type === "vnc" || g.type === "spice") {
    if (g.port !== undefined && g.port !== 0) attrs.push(["port", g.port]);
    else if (g.autoport === true) attrs.push(["port", -1]);
    attrs.push(["autoport", g.autoport === true ? "yes" : "no"]);
    if (first !== undefined && first.type === "address") attrs.push(["listen", first.address]);
    attrs.push(["keymap", g.keymap], ["passwd", g.passwd]);
  }
  w.maybeOpen("graphics", attrs, () => {
    for (const l of g.listens) {
      w.empty("listen", [
        ["type", l.type],
        ["address", l.type === "address" ? l.address : undefined],
        ["network", l.network],
        ["socket", l.socket],
      ]);
    }
  });
}

function formatVideo(w: XmlWriter, v: VideoDef): void {
  w.open("video", [], () => {
    w.empty("model", [
      ["type", v.type],
      ["vram", v.vram === 0 ? undefined : v.vram],
      ["heads", v.heads === 0 ? undefined : v.heads],
      ["primary", v.primary ? "yes" : undefined],
    ]);
  });
}

/** Writes `<devices>` in libvirt's order. */
export function formatDevices(w: XmlWriter, def: DomainDef): void {
  w.open("devices", [], () => {
    def.disks.forEach((d) => formatDisk(w, d));
    def.controllers.forEach((c) => formatController(w, c));
    def.filesystems.forEach((f) => formatFilesystem(w, f));
    def.nets.forEach((n) => formatNet(w, n));
    def.serials.forEach((s) => formatChr(w, "serial", s));
    def.parallels.forEach((p) => formatChr(w, "parallel", p));
    formatConsoles(w, def);
    def.inputs.forEach((i) => formatInput(w, i));
    def.graphics.forEach((g) => formatGraphics(w, g));
    def.videos.forEach((v) => formatVideo(w, v));
    if (def.memballoon !== undefined) w.empty("memballoon", [["model", def.memballoon.model]]);
  });
}
