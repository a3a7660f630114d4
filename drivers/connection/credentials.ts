/**
 * Where the user name and password of a connection come from, never from argv: the URI or
 * ESXVI_USER for the user; ESXVI_PASSWORD, an auth file in libvirt's auth.conf format, or a
 * prompt on a terminal for the password.
 */
import { AuthenticationError } from "../../runtime/auth-error.js";
import { existsSync } from "node:fs";
import { readBoundedFileSync } from "../../runtime/bounded-file.js";
import { homedir } from "node:os";
import { join } from "node:path";
import { InvalidInputError } from "../../errors/esxvi-error.js";
import { defaultUser, type ConnectionUri, type Scheme } from "./uri.js";

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** Asks for a password (the CLI prompts on a terminal without echo). */
export type PasswordPrompt = (question: string) => Promise<string>;

export interface CredentialSources {
  /** Where ESXVI_USER, ESXVI_PASSWORD and the auth file variables are read (the CLI: process.env). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The user, before the URI's and everything else. */
  readonly user?: string;
  /** The password, before everything else (a program's own secret store). */
  readonly password?: string;
  readonly prompt?: PasswordPrompt;
  /** An auth file to read instead of the usual places. */
  readonly authFile?: string;
}

type Sections = Map<string, Map<string, string>>;

/** Parses libvirt's auth.conf (a key file: [section] lines and key=value lines). */
export function parseAuthFile(text: string, file: string): Sections {
  const sections: Sections = new Map();
  let current: Map<string, string> | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) return;
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section !== null) {
      current = new Map();
      sections.set(section[1] ?? "", current);
      return;
    }
    const eq = line.indexOf("=");
    if (eq <= 0 || current === undefined) throw new InvalidInputError(`${file}:${i + 1}: expected '[section]' or 'key=value'`);
    current.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  });
  return sections;
}

/** The auth file to use: the given one, $ESXVI_AUTH_FILE, $LIBVIRT_AUTH_FILE, or ~/.config/libvirt/auth.conf. */
export function authFilePath(sources: CredentialSources): string | undefined {
  const candidates = [
    sources.authFile,
    sources.env["ESXVI_AUTH_FILE"],
    sources.env["LIBVIRT_AUTH_FILE"],
    join(sources.env["XDG_CONFIG_HOME"] ?? join(sources.env["HOME"] ?? homedir(), ".config"), "libvirt", "auth.conf"),
  ];
  for (const c of candidates) {
    if (c !== undefined && c !== "") {
      if (existsSync(c)) return c;
      if (c === sources.authFile) throw new InvalidInputError(`auth file ${c} does not exist`);
    }
  }
  return undefined;
}

/** libvirt's lookup: [auth-esx-<host>] or [auth-esx-default] → credentials=<name> → [credentials-<name>]. */
export function authFileCredentials(sections: Sections, host: string): { username?: string; password?: string } {
  const auth = sections.get(`auth-esx-${host}`) ?? sections.get("auth-esx-default");
  const name = auth?.get("credentials");
  if (name === undefined) return {};
  const creds = sections.get(`credentials-${name}`);
  const username = creds?.get("username");
  const password = creds?.get("password");
  return { ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}) };
}

/**
 * The credentials for `host`: the user from the URI, ESXVI_USER, the auth file, or libvirt's
 * default for `kind` (root for a host, administrator@vsphere.local for a vCenter).
 */
export async function resolveCredentials(
  uri: ConnectionUri,
  host: string,
  sources: CredentialSources,
  kind: Scheme = uri.scheme,
): Promise<Credentials> {
  if (sources.password !== undefined)
    return { username: sources.user ?? uri.user ?? sources.env["ESXVI_USER"] ?? defaultUser(kind), password: sources.password };
  const file = authFilePath(sources);
  const fromFile =
    file === undefined
      ? {}
      : authFileCredentials(parseAuthFile(readBoundedFileSync(file, `the auth file ${file}`, 1 << 20).toString("utf8"), file), host);
  const username = sources.user ?? uri.user ?? sources.env["ESXVI_USER"] ?? fromFile.username ?? defaultUser(kind);
  const envPassword = sources.env["ESXVI_PASSWORD"];
  if (envPassword !== undefined && envPassword !== "") return { username, password: envPassword };
  if (fromFile.password !== undefined && (fromFile.username === undefined || fromFile.username === username)) {
    return { username, password: fromFile.password };
  }
  if (sources.prompt !== undefined) return { username, password: await sources.prompt(`Enter ${username}'s password for ${host}: `) };
  throw new AuthenticationError(
    `no password for ${username}@${host}: set ESXVI_PASSWORD, add it to an auth file (libvirt's auth.conf format, see ESXVI_AUTH_FILE), or run on a terminal to be asked`,
  );
}
