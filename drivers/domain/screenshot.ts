/**
 * libvirt's domainScreenshot for ESX: the host must report capability.screenshotSupported,
 * only screen 0 exists, the domain must be running; the picture is a GET of the host's
 * `/screen?id=<VM moref>` endpoint, a PNG, streamed into the destination. The host's
 * capability comes with the domain's lookup (option `hostPaths: SCREENSHOT_HOST_PATHS`).
 */
import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { InvalidInputError, OperationInvalidError } from "../../errors/esxvi-error.js";
import { HttpError } from "../../runtime/http/http-errors.js";
import { pickCallOptions, type CallOptions } from "../../runtime/soap/index.js";
import type { Connection } from "../connection/connection.js";
import { withDomainData, type DomainHandle } from "./lookup.js";

export interface ScreenshotOptions extends CallOptions {
  /** The screen (head) to capture: ESX has only 0. */
  readonly screen?: number;
}

export interface Screenshot {
  readonly domain: string;
  readonly mimeType: "image/png";
  readonly bytes: number;
}

/** What domainScreenshot reads of the connection's host. */
export const SCREENSHOT_HOST_PATHS = ["capability.screenshotSupported"] as const;

/** Writes the domain's screen as a PNG into `dest` (its power state as of the lookup). */
export async function domainScreenshot(
  conn: Connection,
  domain: DomainHandle,
  dest: Writable,
  options: ScreenshotOptions = {},
): Promise<Screenshot> {
  const call = pickCallOptions(options);
  const hostRef = conn.inventory.hostSystem.ref;
  const vm = await withDomainData(conn, domain, [], { ...call, also: [{ obj: hostRef, paths: SCREENSHOT_HOST_PATHS }] });
  const host = vm.extra.get(hostRef.value);
  if (host?.["capability.screenshotSupported"] !== true) throw new OperationInvalidError("Screenshot feature is unsupported");
  if ((options.screen ?? 0) !== 0) throw new InvalidInputError("Screen cannot be selected");
  if (vm.identity.powerState !== "poweredOn") throw new OperationInvalidError("Domain is not powered on");
  const path = `/screen?id=${encodeURIComponent(vm.identity.ref.value)}`;
  const transport = conn.primary.vim.transport;
  const res = await transport.stream("GET", path, undefined, call);
  if (res.status !== 200) {
    res.body.resume();
    throw new HttpError(res.status, path, `GET ${path}: HTTP ${res.status}`);
  }
  let bytes = 0;
  res.body.on("data", (c: Buffer) => (bytes += c.length));
  try {
    await pipeline(res.body, dest, ...(options.signal !== undefined ? [{ signal: options.signal }] : []));
  } catch (e) {
    throw transport.wrapError(e, "GET", path, call);
  }
  return { domain: vm.identity.name, mimeType: "image/png", bytes };
}
