/**
 * A logged-in session with one server, as libvirt's esxVI_Context: RetrieveServiceContent,
 * the API type and version checks, product line detection, Login with the session cookie,
 * EnsureSession (re-login when the session is gone) and Logout on close.
 */
import { errorMessage, InternalError, UnsupportedError } from "../errors/esxvi-error.js";
import { AuthenticationError } from "./auth-error.js";
import { VimClient } from "./client.js";
import { isFault } from "./faults.js";
import { HttpTransport } from "./http/transport.js";
import type { ProxySpec } from "./http/proxy.js";
import type { TlsSettings } from "./http/tls.js";
import { housekeepingMs, type TimeoutSettings } from "./http/timeouts.js";
import { silentLogger, redactingLogger, type Logger } from "./logger.js";
import { withReadRetry, type RetryPolicy } from "./read-retry.js";
import { withSessionRecovery } from "./session-recovery.js";
import { hasTypeName, moRef, type CallOptions, type MoRef, type SoapCaller } from "./soap/index.js";
import { RetrieveServiceContent, type AboutInfo, type ServiceContent } from "../generated/core.js";
import { RetrievePropertiesEx } from "../generated/property-collector.js";
import { Login, Logout, type UserSession } from "../generated/session.js";

export type ProductLine = "gsx" | "esx" | "vpx";

export interface SessionOptions {
  /** `https://host[:port]` (or `http://` for transport=http). */
  readonly origin: string;
  readonly username: string;
  readonly password: string;
  readonly tls: TlsSettings;
  readonly proxy?: ProxySpec;
  readonly logger?: Logger;
  /** Default timeout of a call in milliseconds. */
  readonly timeoutMs?: number;
  /** Time limits by phase (connect, TLS, headers, idle body, whole call). */
  readonly timeouts?: Partial<TimeoutSettings>;
  readonly signal?: AbortSignal;
  /** Retries of reads on transient transport errors (default: 3 sends in all). */
  readonly retry?: RetryPolicy;
}

/** libvirt's numeric form of a version: 1000000 * major + 1000 * minor + micro (later parts ignored). */
export function versionNumber(text: string, what = "version"): number {
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text.trim());
  if (m === null) throw new UnsupportedError(`Could not parse ${what} '${text}'`);
  return Number(m[1]) * 1_000_000 + Number(m[2] ?? 0) * 1_000 + Number(m[3] ?? 0);
}

const PRODUCT_LINES: Readonly<Record<string, { line: ProductLine; min: number; minText: string; display: string }>> = {
  gsx: { line: "gsx", min: 2_000_000, minText: "2.0", display: "Server/GSX" },
  esx: { line: "esx", min: 3_005_000, minText: "3.5", display: "ESX(i)" },
  embeddedEsx: { line: "esx", min: 3_005_000, minText: "3.5", display: "ESX(i)" },
  vpx: { line: "vpx", min: 2_005_000, minText: "2.5", display: "vCenter/VPX" },
};

/** What checkAbout finds: the product line and libvirt's numeric API and product versions. */
export interface CheckedAbout {
  readonly productLine: ProductLine;
  readonly apiVersion: number;
  readonly productVersion: number;
}

/** libvirt's checks of AboutInfo (esxVI_Context_Connect): API type, API version, product line and its version. */
export function checkAbout(about: AboutInfo): CheckedAbout {
  if (about.apiType !== "HostAgent" && about.apiType !== "VirtualCenter") {
    throw new UnsupportedError(`Expecting VI API type 'HostAgent' or 'VirtualCenter' but found '${about.apiType}'`);
  }
  const apiVersion = versionNumber(about.apiVersion, "VI API version");
  if (apiVersion < 2_005_000) throw new UnsupportedError(`Minimum supported VI API version is 2.5 but found version '${about.apiVersion}'`);
  const productVersion = versionNumber(about.version, "product version");
  const line = Object.hasOwn(PRODUCT_LINES, about.productLineId) ? PRODUCT_LINES[about.productLineId] : undefined;
  if (line === undefined) {
    throw new UnsupportedError(`Expecting product 'gsx' or 'esx' or 'embeddedEsx' or 'vpx' but found '${about.productLineId}'`);
  }
  if (productVersion < line.min) {
    throw new UnsupportedError(`Minimum supported ${line.display} version is ${line.minText} but found version '${about.version}'`);
  }
  return { productLine: line.line, apiVersion, productVersion };
}

const SERVICE_INSTANCE = moRef("ServiceInstance", "ServiceInstance");

/** Login; the server's refusal of the user name or password is an AuthenticationError (the fault its cause). */
async function login(caller: SoapCaller, userName: string, password: string, options?: CallOptions): Promise<UserSession> {
  try {
    return await Login(caller, { userName, password }, options);
  } catch (e) {
    if (isFault(e, "InvalidLogin") && e instanceof Error) throw new AuthenticationError(e.message, { cause: e });
    throw e;
  }
}

export class Session {
  /**
   * The caller to hand every method stub: the plain client wrapped so that reads are retried
   * on transient transport errors and a lost session is re-established.
   */
  readonly client: SoapCaller;
  /** The plain client: its transport, call counts and ServiceContent. */
  readonly vim: VimClient;
  /** The plain client with read retries, without session recovery: what the recovery itself calls through. */
  readonly #plain: SoapCaller;
  readonly serviceContent: ServiceContent;
  readonly about: AboutInfo;
  readonly productLine: ProductLine;
  readonly apiVersion: number;
  readonly productVersion: number;
  readonly username: string;
  readonly logger: Logger;
  userSession: UserSession;
  readonly #password: string;
  #relogin: Promise<void> | undefined;
  #closed = false;

  private constructor(
    vim: VimClient,
    plain: SoapCaller,
    sc: ServiceContent,
    checked: CheckedAbout,
    userSession: UserSession,
    username: string,
    password: string,
    logger: Logger,
  ) {
    this.vim = vim;
    this.#plain = plain;
    this.client = withSessionRecovery(plain, (options) => this.ensureSession(options), logger);
    this.serviceContent = sc;
    this.about = sc.about;
    this.productLine = checked.productLine;
    this.apiVersion = checked.apiVersion;
    this.productVersion = checked.productVersion;
    this.username = username;
    this.#password = password;
    this.userSession = userSession;
    this.logger = logger;
  }

  /** Connects, checks the server and logs in. */
  static async connect(options: SessionOptions): Promise<Session> {
    const logger = redactingLogger(options.logger ?? silentLogger);
    const transport = new HttpTransport({
      origin: options.origin,
      tls: options.tls,
      ...(options.proxy !== undefined ? { proxy: options.proxy } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.timeouts !== undefined ? { timeouts: options.timeouts } : {}),
      logger,
    });
    const vim = new VimClient({ transport, logger });
    const plain = withReadRetry(vim, options.retry ?? {}, logger);
    const call: CallOptions = options.signal !== undefined ? { signal: options.signal } : {};
    try {
      const sc = await RetrieveServiceContent(plain, SERVICE_INSTANCE, call);
      const checked = checkAbout(sc.about);
      vim.serviceContent = sc as unknown as Readonly<Record<string, unknown>>;
      vim.apiVersion = sc.about.apiVersion;
      const userSession = await login(plain, options.username, options.password, call);
      logger.log("info", `logged in to ${options.origin} as ${options.username} (${sc.about.fullName})`);
      return new Session(vim, plain, sc, checked, userSession, options.username, options.password, logger);
    } catch (e) {
      await transport.close();
      throw e;
    }
  }

  /** The ServiceContent member that is a managed object reference, typed. */
  ref<K extends keyof ServiceContent>(member: K): NonNullable<ServiceContent[K]> {
    const v = this.serviceContent[member];
    if (v === undefined) throw new UnsupportedError(`the server has no ${String(member)}`);
    return v as NonNullable<ServiceContent[K]>;
  }

  /**
   * libvirt's EnsureSession: reads SessionManager.currentSession; logs in again when the
   * session is gone; fails when another session took its place. Concurrent callers share
   * one re-login.
   */
  ensureSession(options?: CallOptions): Promise<void> {
    this.#relogin ??= this.checkSession(options).finally(() => {
      this.#relogin = undefined;
    });
    return this.#relogin;
  }

  private async checkSession(options?: CallOptions): Promise<void> {
    let current: UserSession | undefined;
    try {
      current = await this.readCurrentSession(this.#plain, options);
    } catch (e) {
      // vcsim and ESX answer without a session with currentSession unset; a server that
      // faults instead says the same thing.
      if (!isFault(e, "NotAuthenticated")) throw e;
    }
    if (current === undefined) {
      this.userSession = await login(this.#plain, this.username, this.#password, options);
      this.logger.log("info", `logged in again as ${this.username}`);
      return;
    }
    if (current.key !== this.userSession.key) {
      throw new InternalError("Key of the current session differs from the key at last login");
    }
  }

  /** SessionManager.currentSession, or undefined when there is no session (any more). */
  currentSession(options?: CallOptions): Promise<UserSession | undefined> {
    return this.readCurrentSession(this.client, options);
  }

  private async readCurrentSession(caller: SoapCaller, options?: CallOptions): Promise<UserSession | undefined> {
    const sm = this.ref("sessionManager");
    const result = await RetrievePropertiesEx(
      caller,
      {
        specSet: [
          {
            _typeName: "PropertyFilterSpec",
            propSet: [{ _typeName: "PropertySpec", type: "SessionManager", pathSet: ["currentSession"] }],
            objectSet: [{ _typeName: "ObjectSpec", obj: sm as MoRef }],
          },
        ],
        options: { _typeName: "RetrieveOptions" },
      },
      options,
    );
    const prop = result?.objects[0]?.propSet?.find((p) => p.name === "currentSession");
    const v = prop?.val;
    return hasTypeName<UserSession>(v, "UserSession") ? v : undefined;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Logs out (when the session still exists) and closes the connections. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await Logout(this.#plain, { timeoutMs: housekeepingMs(this.vim.transport.timeouts, 10_000) });
    } catch (e) {
      this.logger.log("debug", `logout: ${errorMessage(e)}`);
    } finally {
      await this.vim.close();
    }
  }
}
