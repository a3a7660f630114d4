/** VMX -> domain: RemoteDisplay.vnc.* (virVMXParseVNC) and svga.vramSize (virVMXParseSVGA). */
import type { GraphicsDef, VideoDef } from "./domain-model.js";
import type { VmxDocument } from "./vmx-text.js";
import { vmxBoolean, vmxLong, vmxString } from "./vmx-values.js";

/** The VNC display, or undefined when RemoteDisplay.vnc.enabled is not true. */
export function parseVmxVnc(doc: VmxDocument): GraphicsDef | undefined {
  if (!vmxBoolean(doc, "RemoteDisplay.vnc.enabled", false)) return undefined;
  const port = vmxLong(doc, "RemoteDisplay.vnc.port", -1);
  const address = vmxString(doc, "RemoteDisplay.vnc.ip");
  const keymap = vmxString(doc, "RemoteDisplay.vnc.keymap");
  const passwd = vmxString(doc, "RemoteDisplay.vnc.password");
  const graphics: GraphicsDef = {
    type: "vnc",
    listens: [address === undefined ? { type: "address" } : { type: "address", address }],
  };
  // A missing port means libvirt cannot know it: autoport. Ports outside 5900..5964 are kept.
  if (port < 0) {
    graphics.port = 0;
    graphics.autoport = true;
  } else {
    graphics.port = port;
    graphics.autoport = false;
  }
  if (keymap !== undefined) graphics.keymap = keymap;
  if (passwd !== undefined) graphics.passwd = passwd;
  return graphics;
}

/** The one video device every VMX domain has (4 MiB VRAM by default). */
export function parseVmxSvga(doc: VmxDocument): VideoDef {
  const bytes = vmxLong(doc, "svga.vramSize", 4 * 1024 * 1024);
  return { type: "vmvga", vram: Math.ceil(bytes / 1024), heads: 0, primary: false };
}
