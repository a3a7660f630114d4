/**
 * The vcsim test bed for suites: start one simulator (our Go launcher over govmomi's vcsim,
 * see test/vcsim/launcher and scripts/vcsim.mjs), talk to its control endpoints, stop it.
 *
 *   if (requireSimulator("my suite")) { test.before(async () => { sim = await startSimulator() }) ... }
 *
 * The password reaches the launcher through its environment, never its argv.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { request as httpRequest, type IncomingMessage, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { ROOT } from "./paths.js";

const LAUNCHER_SOURCE = join(ROOT, "test", "vcsim", "launcher");
const LAUNCHER_BINARY = join(ROOT, ".cache", "vcsim", "vcsim-launcher");
const GOVMOMI_SIMULATOR = "/usr/share/gocode/src/github.com/vmware/govmomi/simulator";

export interface SimulatorOptions {
  /** "esx" (standalone host, the default) or "vpx" (vCenter). */
  readonly model?: "esx" | "vpx";
  /** VMs per host / resource pool (vcsim default 2). */
  readonly vms?: number;
  /** vpx: standalone hosts per datacenter. */
  readonly hosts?: number;
  /** vpx: clusters per datacenter. */
  readonly clusters?: number;
  /** vpx: hosts per cluster. */
  readonly clusterHosts?: number;
  readonly datastores?: number;
  /** Power the model VMs on at start (vcsim does by default). */
  readonly powerOn?: boolean;
  /** Serve HTTPS with a generated certificate for 127.0.0.1. */
  readonly tls?: boolean;
  /** The only accepted user (default "root"). */
  readonly user?: string;
  /** The only accepted password (default: random). */
  readonly password?: string;
  /** VMs (names or morefs) that raise a question on their next PowerOnVM_Task. */
  readonly questionVms?: readonly string[];
  /** How long VM tasks stay running (progress 0, 50, 100) before they run. */
  readonly taskDurationMs?: number;
  /** Idle sessions expire after this many milliseconds. */
  readonly sessionIdleMs?: number;
  /** Fill vcsim's gaps with ESX behaviour (default true). */
  readonly compat?: boolean;
  /** Where datastore directories go (launcher default: /dev/shm when roomy). */
  readonly tmpdir?: string;
  readonly extraArgs?: readonly string[];
  /** How long to wait for the ready line (default 120 s; 5,000 VMs take a while). */
  readonly startTimeoutMs?: number;
}

export interface QuestionChoice {
  readonly key: string;
  readonly label: string;
  readonly summary?: string;
}

export interface QuestionOptions {
  /** Labels (keys "0", "1", ...) or full choices; default: Cancel / I Moved It / I Copied It. */
  readonly choices?: readonly (string | QuestionChoice)[];
  readonly defaultIndex?: number;
  readonly text?: string;
  /** The choice that cancels the waiting task (default: the one labelled "Cancel"). */
  readonly cancelKey?: string;
  /** Raise it at once, without a task, instead of on the next power-on. */
  readonly now?: boolean;
}

export interface QuestionResult {
  /** The VM's moref value. */
  readonly vm: string;
  readonly name: string;
  /** Set when the question was armed for the next PowerOnVM_Task. */
  readonly armed: boolean;
  /** Set when the question was raised at once. */
  readonly questionId: string | undefined;
}

export interface MethodStats {
  readonly calls: number;
  readonly nanos: number;
}

export interface SimulatorStats {
  readonly soapCalls: number;
  /** Time spent serving SOAP calls, from request read to response written. */
  readonly serverNanos: number;
  readonly byMethod: Readonly<Record<string, MethodStats>>;
}

export interface SimulatorControl {
  question(vm: string, options?: QuestionOptions): Promise<QuestionResult>;
  /** Sets the VM task duration; returns the value now in force. */
  taskDuration(ms: number): Promise<number>;
  /** Ends every client session (or the one with this cookie value); returns how many. */
  revokeSessions(cookie?: string): Promise<number>;
  stats(): Promise<SimulatorStats>;
  resetStats(): Promise<void>;
  /**
   * Fails the next `count` requests for `method` before they reach vcsim: with an HTTP status
   * (default 503, with Retry-After when given) or by resetting the connection. Still counted in stats.
   */
  fail(method: string, failure: { count?: number; status?: number; retryAfter?: string; reset?: boolean }): Promise<void>;
}

export interface StopResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface Simulator {
  /** https://127.0.0.1:PORT/sdk (http:// without TLS). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  readonly tls: boolean;
  readonly thumbprintSha1: string | undefined;
  readonly thumbprintSha256: string | undefined;
  readonly certPem: string | undefined;
  readonly model: "esx" | "vpx";
  readonly user: string;
  readonly password: string;
  /** Number of VMs in the inventory. */
  readonly vms: number;
  /** Launcher start-up time as it measured it. */
  readonly startupMs: number;
  readonly control: SimulatorControl;
  /** SIGTERM by PID and wait for the exit (SIGKILL after 10 s). */
  stop(): Promise<StopResult>;
}

export type Availability = { readonly ok: true } | { readonly ok: false; readonly reason: string };

function launcherIsFresh(): boolean {
  if (!existsSync(LAUNCHER_BINARY)) return false;
  const built = statSync(LAUNCHER_BINARY).mtimeMs;
  return readdirSync(LAUNCHER_SOURCE)
    .filter((f) => f.endsWith(".go"))
    .every((f) => statSync(join(LAUNCHER_SOURCE, f)).mtimeMs <= built);
}

function goInstalled(): boolean {
  return ["/usr/bin/go", "/usr/lib/go/bin/go", "/usr/local/go/bin/go"].some((p) => existsSync(p));
}

/** Whether a simulator can be started here (built, or buildable without installing). */
export function simulatorAvailable(): Availability {
  if (process.env["ESXVI_VCSIM_UNAVAILABLE"] === "1") {
    return { ok: false, reason: "scripts/test.mjs could not prepare the simulator launcher (see its output)" };
  }
  if (launcherIsFresh()) return { ok: true };
  if (goInstalled() && existsSync(GOVMOMI_SIMULATOR)) return { ok: true };
  return {
    ok: false,
    reason:
      "the vcsim launcher is not built and golang-go / golang-github-vmware-govmomi-dev are missing; " +
      "run `node scripts/vcsim.mjs ensure` (as root it installs them with apt-get)",
  };
}

/**
 * True when the suite can run. Otherwise prints why it skips and returns false, or throws
 * when ESXVI_REQUIRE_VCSIM=1 (a missing simulator then fails the suite).
 */
export function requireSimulator(suite: string): boolean {
  const a = simulatorAvailable();
  if (a.ok) return true;
  if (process.env["ESXVI_REQUIRE_VCSIM"] === "1") {
    throw new Error(`${suite}: the simulator is required (ESXVI_REQUIRE_VCSIM=1) but unavailable: ${a.reason}`);
  }
  process.stdout.write(`skipped: ${suite}: ${a.reason}\n`);
  return false;
}

/** The launcher binary, built (and its packages installed, as root) when needed. */
async function launcherBinary(): Promise<string> {
  if (launcherIsFresh()) return LAUNCHER_BINARY;
  const mod: unknown = await import(pathToFileURL(join(ROOT, "scripts", "vcsim.mjs")).href);
  if (typeof mod === "object" && mod !== null && "ensureLauncher" in mod && typeof mod.ensureLauncher === "function") {
    const path: unknown = await mod.ensureLauncher();
    if (typeof path === "string") return path;
  }
  throw new Error("scripts/vcsim.mjs has no usable ensureLauncher()");
}

function launcherArgs(o: SimulatorOptions, user: string): string[] {
  const args = ["-exit-on-stdin-eof", "-model", o.model ?? "esx", "-user", user];
  const n = (flag: string, v: number | undefined): void => {
    if (v !== undefined) args.push(flag, String(v));
  };
  n("-vms", o.vms);
  n("-hosts", o.hosts);
  n("-clusters", o.clusters);
  n("-cluster-hosts", o.clusterHosts);
  n("-datastores", o.datastores);
  n("-task-duration", o.taskDurationMs);
  if (o.sessionIdleMs !== undefined) args.push("-session-idle", `${o.sessionIdleMs}ms`);
  if (o.powerOn !== undefined) args.push(`-power-on=${o.powerOn}`);
  if (o.compat !== undefined) args.push(`-compat=${o.compat}`);
  if (o.tls === true) args.push("-tls");
  if (o.questionVms !== undefined && o.questionVms.length > 0) args.push("-question-vms", o.questionVms.join(","));
  if (o.tmpdir !== undefined) args.push("-tmpdir", o.tmpdir);
  args.push(...(o.extraArgs ?? []));
  return args;
}

function field(obj: Record<string, unknown>, key: string, kind: "string" | "number" | "boolean"): unknown {
  const v = obj[key];
  if (typeof v !== kind) throw new Error(`launcher ready line: "${key}" is not a ${kind}`);
  return v;
}

function optionalString(obj: Record<string, unknown>, key: string): string | undefined {
  const v = obj[key];
  return typeof v === "string" ? v : undefined;
}

function asRecord(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`${what} is not a JSON object`);
  // A JSON object's own keys are plain data; index it as a record.
  return Object.fromEntries(Object.entries(v));
}

/** Starts a simulator and resolves once it accepts connections. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const binary = await launcherBinary();
  const user = options.user ?? "root";
  const password = options.password ?? randomBytes(12).toString("base64url");
  const child = spawn(binary, launcherArgs(options, user), {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, VCSIM_PASS: password },
  });
  let stderrTail = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-8192);
  });
  const exited = new Promise<StopResult>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });

  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const lines = createInterface({ input: child.stdout });
  let timer: NodeJS.Timeout | undefined;
  const line = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    void exited.then(({ code, signal }) =>
      reject(new Error(`vcsim launcher exited (${code ?? signal}) before it was ready:\n${stderrTail}`)),
    );
    timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`vcsim launcher not ready after ${timeoutMs} ms:\n${stderrTail}`));
    }, timeoutMs);
  }).finally(() => {
    clearTimeout(timer);
    lines.close();
  });
  child.stdout.resume(); // nothing more comes; keep the pipe drained

  const ready = asRecord(JSON.parse(line), "launcher ready line");
  const pid = Number(field(ready, "pid", "number"));
  const tls = Boolean(field(ready, "tls", "boolean"));
  const host = String(field(ready, "host", "string"));
  const port = Number(field(ready, "port", "number"));
  const certPem = optionalString(ready, "certPem");
  const model = field(ready, "model", "string") === "vpx" ? "vpx" : "esx";

  let stopped: Promise<StopResult> | undefined;
  const stop = (): Promise<StopResult> => {
    if (stopped === undefined) {
      stopped = (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          process.kill(pid, "SIGTERM");
          const kill = setTimeout(() => {
            if (child.exitCode === null && child.signalCode === null) process.kill(pid, "SIGKILL");
          }, 10_000);
          const r = await exited;
          clearTimeout(kill);
          return r;
        }
        return exited;
      })();
    }
    return stopped;
  };

  return {
    url: String(field(ready, "url", "string")),
    host,
    port,
    pid,
    tls,
    thumbprintSha1: optionalString(ready, "thumbprintSha1"),
    thumbprintSha256: optionalString(ready, "thumbprintSha256"),
    certPem,
    model,
    user: String(field(ready, "user", "string")),
    password,
    vms: Number(field(ready, "vms", "number")),
    startupMs: Number(field(ready, "startupMs", "number")),
    control: makeControl({ host, port, tls, certPem }),
    stop,
  };
}

interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly certPem: string | undefined;
}

/** One request to a control endpoint; resolves with the parsed JSON answer. */
function controlRequest(ep: Endpoint, method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const opts: RequestOptions = {
    host: ep.host,
    port: ep.port,
    method,
    path,
    agent: false,
    headers: payload === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
  };
  return new Promise((resolve, reject) => {
    const onResponse = (res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          reject(new Error(`${method} ${path}: HTTP ${res.statusCode}: ${text}`));
          return;
        }
        if (res.statusCode !== 200) {
          const err = typeof parsed === "object" && parsed !== null && "error" in parsed ? String(parsed.error) : text;
          reject(new Error(`${method} ${path}: HTTP ${res.statusCode}: ${err}`));
          return;
        }
        resolve(parsed);
      });
      res.on("error", reject);
    };
    const req = ep.tls
      ? httpsRequest({ ...opts, ...(ep.certPem === undefined ? {} : { ca: ep.certPem }) }, onResponse)
      : httpRequest(opts, onResponse);
    req.on("error", reject);
    req.end(payload);
  });
}

function toStats(v: unknown): SimulatorStats {
  const r = asRecord(v, "stats");
  const byMethod: Record<string, MethodStats> = {};
  for (const [name, m] of Object.entries(asRecord(r["byMethod"], "stats.byMethod"))) {
    const mr = asRecord(m, `stats.byMethod.${name}`);
    byMethod[name] = { calls: Number(mr["calls"]), nanos: Number(mr["nanos"]) };
  }
  return { soapCalls: Number(r["soapCalls"]), serverNanos: Number(r["serverNanos"]), byMethod };
}

function makeControl(ep: Endpoint): SimulatorControl {
  return {
    async question(vm, options = {}) {
      const r = asRecord(
        await controlRequest(ep, "POST", "/_vcsim/question", {
          vm,
          ...(options.choices === undefined ? {} : { choices: options.choices }),
          ...(options.defaultIndex === undefined ? {} : { defaultIndex: options.defaultIndex }),
          ...(options.text === undefined ? {} : { text: options.text }),
          ...(options.cancelKey === undefined ? {} : { cancelKey: options.cancelKey }),
          now: options.now === true,
        }),
        "question answer",
      );
      return {
        vm: String(r["vm"]),
        name: String(r["name"]),
        armed: r["armed"] === true,
        questionId: typeof r["questionId"] === "string" ? r["questionId"] : undefined,
      };
    },
    async taskDuration(ms) {
      const r = asRecord(await controlRequest(ep, "POST", "/_vcsim/task-duration", { ms }), "task-duration answer");
      return Number(r["ms"]);
    },
    async revokeSessions(cookie) {
      const r = asRecord(
        await controlRequest(ep, "POST", "/_vcsim/sessions/revoke", cookie === undefined ? {} : { cookie }),
        "revoke answer",
      );
      return Number(r["revoked"]);
    },
    async stats() {
      return toStats(await controlRequest(ep, "GET", "/_vcsim/stats"));
    },
    async resetStats() {
      await controlRequest(ep, "POST", "/_vcsim/stats/reset");
    },
    async fail(method, failure) {
      await controlRequest(ep, "POST", "/_vcsim/fail", { method, count: failure.count ?? 1, ...failure });
    },
  };
}
