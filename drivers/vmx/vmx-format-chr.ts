/** Domain -> VMX: serialN and parallelN lines (virVMXFormatSerial / virVMXFormatParallel). */
import { formatFileName, type VmxContext } from "./context.js";
import type { ChrDef } from "./domain-model.js";
import { VmxError, VmxUnsupportedError } from "./errors.js";
import type { VmxWriter } from "./vmx-writer.js";

const TCP_SCHEMES: Readonly<Record<string, string>> = { raw: "tcp", telnet: "telnet", telnets: "telnets", tls: "ssl" };

function formatFile(ctx: VmxContext, path: string | undefined): string {
  if (path === undefined) throw new VmxError("Character device of type 'file' has no path");
  return formatFileName(ctx, path);
}

export function formatSerial(w: VmxWriter, ctx: VmxContext, chr: ChrDef): void {
  const port = chr.port;
  if (port < 0 || port > 3) throw new VmxError(`Serial port index ${port} out of [0..3] range`);
  const p = `serial${port}`;
  const s = chr.source;
  w.line(`${p}.present`, "true");
  switch (s.type) {
    case "dev":
      w.line(`${p}.fileType`, "device");
      // libvirt writes "(null)" for a missing path; leaving the line out means the same.
      if (s.path !== undefined) w.line(`${p}.fileName`, s.path);
      break;
    case "file":
      w.line(`${p}.fileType`, "file");
      w.line(`${p}.fileName`, formatFile(ctx, s.path));
      break;
    case "pipe":
      w.line(`${p}.fileType`, "pipe");
      // VI Client GUI defaults: the far end is an application acting as server.
      w.line(`${p}.pipe.endPoint`, "client");
      w.line(`${p}.tryNoRxLoss`, "false");
      if (s.path !== undefined) w.line(`${p}.fileName`, s.path);
      break;
    case "tcp":
      w.line(`${p}.fileType`, "network");
      w.line(`${p}.fileName`, `${TCP_SCHEMES[s.protocol ?? "raw"] ?? "tcp"}://${s.host ?? ""}:${s.service ?? ""}`);
      w.line(`${p}.network.endPoint`, s.listen === true ? "server" : "client");
      break;
    default:
      throw new VmxUnsupportedError(`Unsupported character device type '${s.type}'`);
  }
  w.line(`${p}.yieldOnMsrRead`, "true");
}

export function formatParallel(w: VmxWriter, ctx: VmxContext, chr: ChrDef): void {
  const port = chr.port;
  if (port < 0 || port > 2) throw new VmxError(`Parallel port index ${port} out of [0..2] range`);
  const p = `parallel${port}`;
  const s = chr.source;
  w.line(`${p}.present`, "true");
  switch (s.type) {
    case "dev":
      w.line(`${p}.fileType`, "device");
      if (s.path !== undefined) w.line(`${p}.fileName`, s.path);
      break;
    case "file":
      w.line(`${p}.fileType`, "file");
      w.line(`${p}.fileName`, formatFile(ctx, s.path));
      break;
    default:
      throw new VmxUnsupportedError(`Unsupported character device type '${s.type}'`);
  }
}
