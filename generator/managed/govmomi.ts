/**
 * Reads govmomi's managed object structs (Debian's golang-github-vmware-govmomi-dev:
 * vim25/mo/mo.go, API 7.0) into the list of managed object types with their bases and
 * property names. A second source beside pyVmomi's tables: it names every managed object type
 * of its API and each one's properties, but not the target of a reference (every reference is a
 * plain `types.ManagedObjectReference`) nor the type that declares a method (methods.go calls
 * every method with an untyped `This`). So it can tell what a newer API adds, not how to type it.
 *
 *   type HostAssignableHardwareManager struct {
 *       Self types.ManagedObjectReference            // a root type
 *       Binding []types.HostAssignableHardwareBinding `mo:"binding"`
 *   }
 *   type Folder struct {
 *       ManagedEntity                                // embedded: the base type
 *       ChildType []string `mo:"childType"`
 *   }
 */
import { readFileSync } from "node:fs";

export interface GoManagedType {
  readonly name: string;
  readonly base: string | undefined;
  /** The properties the type declares (not inherited ones), in declaration order. */
  readonly properties: readonly string[];
}

export class GovmomiError extends Error {}

/** Where Debian installs the file. */
export const GOVMOMI_MO = "/usr/share/gocode/src/github.com/vmware/govmomi/vim25/mo/mo.go";

/** Parses the text of mo.go: the structs that are managed objects (a `Self` reference, or a managed base embedded). */
export function parseGovmomiMo(text: string, file = "mo.go"): Map<string, GoManagedType> {
  const structs = new Map<string, { base: string | undefined; root: boolean; properties: string[] }>();
  for (const m of text.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
    const name = m[1] ?? "";
    let base: string | undefined;
    let root = false;
    const properties: string[] = [];
    for (const raw of (m[2] ?? "").split("\n")) {
      const line = raw.trim();
      if (line === "" || line.startsWith("//")) continue;
      if (/^Self\s+types\.ManagedObjectReference$/.test(line)) root = true;
      else if (/^\w+$/.test(line)) {
        if (base !== undefined) throw new GovmomiError(`${file}: ${name} embeds two types (${base}, ${line})`);
        base = line;
      } else {
        const tag = /`mo:"([^"]+)"`/.exec(line);
        if (tag?.[1] !== undefined) properties.push(tag[1]);
      }
    }
    structs.set(name, { base, root, properties });
  }
  const isManaged = (name: string, seen: Set<string> = new Set()): boolean => {
    const s = structs.get(name);
    if (s === undefined || seen.has(name)) return false;
    seen.add(name);
    return s.root || (s.base !== undefined && isManaged(s.base, seen));
  };
  const out = new Map<string, GoManagedType>();
  for (const [name, s] of structs) if (isManaged(name)) out.set(name, { name, base: s.base, properties: s.properties });
  if (out.size === 0) throw new GovmomiError(`${file}: no managed object struct found`);
  return out;
}

/** Reads mo.go from a path. */
export function readGovmomiMo(path: string = GOVMOMI_MO): Map<string, GoManagedType> {
  return parseGovmomiMo(readFileSync(path, "utf8"), path);
}
