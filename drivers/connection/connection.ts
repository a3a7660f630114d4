/**
 * Opening a connection as libvirt's esxConnectOpen: parse the URI, resolve credentials,
 * log in, check the product line against the scheme, find the inventory objects, and for
 * esx://…?vcenter=… also log in to the managing vCenter.
 */
import { readBoundedFileSync } from "../../runtime/bounded-file.js";
import { InternalError } from "../../errors/esxvi-error.js";
import type { TimeoutSettings } from "../../runtime/http/timeouts.js";
import type { TlsSettings } from "../../runtime/http/tls.js";
import { silentLogger, type Logger } from "../../runtime/logger.js";
import { Session, type ProductLine } from "../../runtime/session.js";
import type { CallOptions } from "../../runtime/soap/index.js";
import { parseProxy } from "../../runtime/http/proxy.js";
import { resolveCredentials, type CredentialSources } from "./credentials.js";
import { ipv4 } from "./ipv4.js";
import { lookupHostInventory, lookupInventoryByHostIp, lookupInventoryByPath, type InventoryContext } from "./inventory.js";
import { parseConnectionUri, type ConnectionUri, type Scheme } from "./uri.js";

export interface OpenOptions {
  /** Where the user and password come from (default: only what `user` and `password` give). */
  readonly credentials?: CredentialSources | undefined;
  /** The user name (before the URI's). */
  readonly user?: string | undefined;
  /** The password. Never put it in the URI or argv. */
  readonly password?: string | undefined;
  /** Pin the server's certificate by its SHA-1 or SHA-256 thumbprint (the URI's thumbprint=). */
  readonly thumbprint?: string | undefined;
  /** Trusted CA certificates, PEM (the URI's cafile=, given as text). */
  readonly ca?: string | undefined;
  /** A proxy, as the URI's proxy= parameter: [http|socks|socks4|socks4a|socks5://]host[:port]. */
  readonly proxy?: string | undefined;
  readonly logger?: Logger | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Default per-call timeout in milliseconds. */
  readonly timeoutMs?: number | undefined;
  /** Time limits by phase (connect, TLS, headers, idle body, whole call). */
  readonly timeouts?: Partial<TimeoutSettings> | undefined;
}

const PRODUCT_NAMES: Record<ProductLine, string> = { gsx: "Server/GSX", esx: "ESX(i)", vpx: "vCenter/VPX" };

export class Connection {
  readonly uri: ConnectionUri;
  /** The session used for most calls: the host's for esx/gsx, the vCenter's for vpx. */
  readonly primary: Session;
  readonly host: Session | undefined;
  readonly vcenter: Session | undefined;
  /** The datacenter, compute resource and host of the primary session. */
  readonly inventory: InventoryContext;
  /** The same, as seen through the vCenter session (esx + vcenter, or vpx). */
  readonly vcenterInventory: InventoryContext | undefined;
  readonly logger: Logger;
  #closed = false;

  constructor(parts: {
    uri: ConnectionUri;
    primary: Session;
    host?: Session;
    vcenter?: Session;
    inventory: InventoryContext;
    vcenterInventory?: InventoryContext;
    logger: Logger;
  }) {
    this.uri = parts.uri;
    this.primary = parts.primary;
    this.host = parts.host;
    this.vcenter = parts.vcenter;
    this.inventory = parts.inventory;
    this.vcenterInventory = parts.vcenterInventory;
    this.logger = parts.logger;
  }

  get autoAnswer(): boolean {
    return this.uri.autoAnswer;
  }

  /** Calls made so far over every session (for efficiency checks). */
  get calls(): number {
    return (
      (this.host?.vim.stats.calls ?? 0) +
      (this.vcenter?.vim.stats.calls ?? 0) +
      (this.host === undefined && this.vcenter === undefined ? this.primary.vim.stats.calls : 0)
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([
      this.host?.close(),
      this.vcenter?.close(),
      this.host === undefined && this.vcenter === undefined ? this.primary.close() : undefined,
    ]);
  }
}

function tlsFor(uri: ConnectionUri, options: OpenOptions): TlsSettings {
  // A CA bundle of a few hundred certificates is well under 4 MiB; cafile=/dev/zero is refused.
  const ca =
    options.ca ??
    (uri.cafile === undefined ? undefined : readBoundedFileSync(uri.cafile, `the CA file ${uri.cafile}`, 4 << 20).toString("utf8"));
  const thumbprint = options.thumbprint ?? uri.thumbprint;
  return {
    verify: !uri.noVerify,
    ...(ca !== undefined ? { ca } : {}),
    ...(thumbprint !== undefined ? { thumbprint } : {}),
  };
}

function origin(uri: ConnectionUri, host: string, port: number): string {
  return `${uri.transport}://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

async function login(
  uri: ConnectionUri,
  host: string,
  port: number,
  options: OpenOptions,
  logger: Logger,
  kind: Scheme = uri.scheme,
): Promise<Session> {
  const sources: CredentialSources = {
    ...(options.credentials ?? { env: {} }),
    ...(options.user !== undefined ? { user: options.user } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
  };
  const creds = await resolveCredentials(uri, host, sources, kind);
  const proxy = options.proxy !== undefined ? parseProxy(options.proxy) : uri.proxy;
  return Session.connect({
    origin: origin(uri, host, port),
    username: creds.username,
    password: creds.password,
    tls: tlsFor(uri, options),
    ...(proxy !== undefined ? { proxy } : {}),
    logger,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.timeouts !== undefined ? { timeouts: options.timeouts } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
}

/** libvirt's check that the server's product line is the one the scheme (or vcenter=) expects. */
function checkProductLine(session: Session, expected: ProductLine, host: string): void {
  if (session.productLine === expected) return;
  throw new InternalError(
    `Expecting '${host}' to be a ${PRODUCT_NAMES[expected]} host but found a ${PRODUCT_NAMES[session.productLine]} host`,
  );
}

/** Opens a connection for a libvirt ESX URI. */
export async function openConnection(uriText: string | ConnectionUri, options: OpenOptions = {}): Promise<Connection> {
  const uri = typeof uriText === "string" ? parseConnectionUri(uriText) : uriText;
  const logger = options.logger ?? silentLogger;
  for (const w of uri.warnings) logger.log("warn", w);
  const call: CallOptions = options.signal !== undefined ? { signal: options.signal } : {};

  if (uri.scheme === "vpx") {
    const vc = await login(uri, uri.host, uri.port, options, logger);
    try {
      checkProductLine(vc, "vpx", uri.host);
      const inventory = await lookupInventoryByPath(vc, uri.path, uri.pathText, call);
      return new Connection({ uri, primary: vc, vcenter: vc, inventory, vcenterInventory: inventory, logger });
    } catch (e) {
      await vc.close();
      throw e;
    }
  }

  const hostSession = await login(uri, uri.host, uri.port, options, logger);
  let vcSession: Session | undefined;
  try {
    checkProductLine(hostSession, uri.scheme, uri.host);
    const inventory = await lookupHostInventory(hostSession, call);
    if (inventory.hostSystem.inMaintenanceMode) logger.log("warn", "The server is in maintenance mode");
    if (uri.vcenter === undefined) return new Connection({ uri, primary: hostSession, host: hostSession, inventory, logger });

    const managedBy = inventory.hostSystem.managementServerIp;
    let vcenterHost: string;
    if (uri.vcenter === "*") {
      if (managedBy === undefined) throw new InternalError("This host is not managed by a vCenter");
      vcenterHost = managedBy;
    } else {
      vcenterHost = uri.vcenter;
      const ip = await ipv4(vcenterHost);
      if (managedBy !== undefined && ip !== managedBy) {
        throw new InternalError(
          `This host is managed by a vCenter with IP address ${managedBy}, but a mismatching vCenter '${uri.vcenter}' (${ip}) has been specified`,
        );
      }
    }
    // libvirt reaches the vCenter on the URI's port, and finds the host there by its IP address.
    vcSession = await login(uri, vcenterHost, uri.port, options, logger, "vpx");
    checkProductLine(vcSession, "vpx", vcenterHost);
    const vcInventory = await lookupInventoryByHostIp(vcSession, await ipv4(uri.host), call);
    return new Connection({
      uri,
      primary: hostSession,
      host: hostSession,
      vcenter: vcSession,
      inventory,
      vcenterInventory: vcInventory,
      logger,
    });
  } catch (e) {
    await Promise.all([hostSession.close(), vcSession?.close()]);
    throw e;
  }
}
