/**
 * Pool and volume XML as libvirt's ESX storage driver writes them (virStoragePoolDefFormat,
 * virStorageVolDefFormat over the definitions esx_storage_backend_*.c fill), and the volume
 * XML vol-create reads (name, capacity and allocation with libvirt's units, target format).
 */
import { InvalidInputError } from "../../errors/esxvi-error.js";
import { child, parseXmlTree } from "../vmx/xml-tree.js";
import { XmlWriter } from "../vmx/xml-writer.js";
import type { StoragePool, StorageVolume } from "./handles.js";
import { poolSizes } from "./pool-info.js";

/** pool-dumpxml. */
export function poolXml(pool: StoragePool): string {
  const w = new XmlWriter();
  const sizes = poolSizes(pool);
  w.open("pool", [["type", pool.type]], () => {
    w.text("name", pool.name);
    w.text("uuid", pool.uuid);
    w.text("capacity", sizes.capacity, [["unit", "bytes"]]);
    w.text("allocation", sizes.allocation, [["unit", "bytes"]]);
    w.text("available", sizes.available, [["unit", "bytes"]]);
    w.open("source", [], () => {
      if (pool.kind === "iscsi") {
        w.empty("host", [
          ["name", pool.target.address],
          ["port", pool.target.port],
        ]);
        // libvirt writes the target's IQN as the initiator's (sic).
        w.open("initiator", [], () => w.empty("iqn", [["name", pool.target.iScsiName]]));
        return;
      }
      const info = pool.info;
      if (info?._typeName === "NasDatastoreInfo" && info.nas !== undefined) {
        w.empty("host", [["name", info.nas.remoteHost]]);
        w.empty("dir", [["path", info.nas.remotePath]]);
        w.empty("format", [["type", info.nas.type.toLowerCase() === "cifs" ? "cifs" : "nfs"]]);
      } else if (info?._typeName === "VmfsDatastoreInfo") {
        w.empty("format", [["type", "vmfs"]]);
      }
    });
    if (pool.kind === "datastore") w.open("target", [], () => w.text("path", pool.mountPath));
  });
  return w.toString();
}

/** vol-dumpxml. */
export function volumeXml(vol: StorageVolume): string {
  const w = new XmlWriter();
  w.open("volume", [["type", vol.type]], () => {
    w.text("name", vol.name);
    w.text("key", vol.key);
    w.open("source", [], () => undefined);
    w.text("capacity", vol.capacity, [["unit", "bytes"]]);
    w.text("allocation", vol.allocation, [["unit", "bytes"]]);
    w.open("target", [], () => {
      w.text("path", vol.path);
      w.empty("format", [["type", vol.format]]);
    });
  });
  return w.toString();
}

/** What vol-create needs from a volume XML. */
export interface VolumeSpec {
  readonly type: string;
  readonly name: string;
  readonly capacity: number;
  /** Bytes; libvirt takes the capacity when the XML has none. */
  readonly allocation: number;
  /** The target format ("" when the XML names none: libvirt's default for file pools, raw). */
  readonly format: string;
}

const POWERS: Readonly<Record<string, number>> = { k: 1, m: 2, g: 3, t: 4, p: 5, e: 6 };

/** libvirt's virScaleInteger for a size with a unit attribute (default bytes). */
export function scaleBytes(text: string, unit: string | undefined, what: string): number {
  if (!/^\s*\d+\s*$/.test(text)) throw new InvalidInputError(`malformed ${what} element`);
  const value = BigInt(text.trim());
  const u = (unit ?? "").trim();
  let scale = 1n;
  if (u !== "" && !/^(b|bytes?)$/i.test(u)) {
    const power = POWERS[u[0]?.toLowerCase() ?? ""];
    const rest = u.slice(1).toLowerCase();
    if (power === undefined || !(rest === "" || rest === "ib" || rest === "b"))
      throw new InvalidInputError(`unknown suffix '${u}'`, { code: "INVALID_ARG" });
    scale = (rest === "b" ? 1000n : 1024n) ** BigInt(power);
  }
  const bytes = value * scale;
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) throw new InvalidInputError(`${what} too large`);
  return Number(bytes);
}

/** Reads a volume XML (virStorageVolDefParseString with the pool's defaults). */
export function parseVolumeXml(xml: string): VolumeSpec {
  const root = parseXmlTree(xml);
  if (root.name !== "volume")
    throw new InvalidInputError(`unexpected root element <${root.name}>, expecting <volume>`, { code: "XML_ERROR" });
  const name = child(root, "name")?.text.trim() ?? "";
  if (name === "") throw new InvalidInputError("missing volume name element", { code: "XML_ERROR" });
  const capEl = child(root, "capacity");
  if (capEl === undefined) throw new InvalidInputError("missing capacity element", { code: "XML_ERROR" });
  const capacity = scaleBytes(capEl.text, capEl.attrs["unit"], "capacity");
  const allocEl = child(root, "allocation");
  const allocation = allocEl === undefined ? capacity : scaleBytes(allocEl.text, allocEl.attrs["unit"], "allocation");
  const target = child(root, "target");
  const format = (target === undefined ? undefined : child(target, "format"))?.attrs["type"] ?? "";
  return { type: root.attrs["type"] ?? "file", name, capacity, allocation, format };
}

/** The XML virsh vol-create-as writes for its arguments. */
export function volumeCreateAsXml(name: string, capacity: number, allocation: number | undefined, format: string | undefined): string {
  const w = new XmlWriter();
  w.open("volume", [], () => {
    w.text("name", name);
    w.text("capacity", capacity);
    if (allocation !== undefined) w.text("allocation", allocation);
    if (format !== undefined) w.open("target", [], () => w.empty("format", [["type", format]]));
  });
  return w.toString();
}
