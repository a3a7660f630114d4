/**
 * Where credentials come from: the user from the URI or ESXVI_USER (libvirt's defaults),
 * the password from ESXVI_PASSWORD, an auth file in libvirt's auth.conf format, or a prompt;
 * never from argv. End to end with the simulator: an auth file alone is enough.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { authFileCredentials, parseAuthFile, resolveCredentials } from "../../drivers/connection/credentials.js";
import { parseConnectionUri } from "../../drivers/connection/uri.js";
import { EsxviError } from "../../errors/esxvi-error.js";
import { esxvi, simulatorUri } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";

const dir = mkdtempSync(join(tmpdir(), "esxvi-auth-"));
const AUTH = `# libvirt auth.conf
[credentials-lab]
username=labuser
password=lab secret

[credentials-ops]
username=root
password=ops-pass

[auth-esx-esx1.example.com]
credentials=ops

[auth-esx-default]
credentials=lab
`;
const authFile = join(dir, "auth.conf");
writeFileSync(authFile, AUTH);

test("parseAuthFile reads sections and keys; a stray line names file and line", () => {
  const sections = parseAuthFile(AUTH, "auth.conf");
  assert.equal([...sections.keys()], ["credentials-lab", "credentials-ops", "auth-esx-esx1.example.com", "auth-esx-default"]);
  assert.is(sections.get("credentials-lab")?.get("password"), "lab secret");
  assert.throws(
    () => parseAuthFile("username=x\n", "my.conf"),
    (e: unknown) => e instanceof EsxviError && e.message === "my.conf:1: expected '[section]' or 'key=value'",
  );
});

test("auth-esx-<host> wins over auth-esx-default", () => {
  const sections = parseAuthFile(AUTH, "auth.conf");
  assert.equal(authFileCredentials(sections, "esx1.example.com"), { username: "root", password: "ops-pass" });
  assert.equal(authFileCredentials(sections, "other"), { username: "labuser", password: "lab secret" });
  assert.equal(authFileCredentials(parseAuthFile("", "x"), "other"), {});
});

const cases: {
  name: string;
  uri: string;
  env: Record<string, string>;
  prompt?: string;
  want: { username: string; password: string } | string;
}[] = [
  {
    name: "URI user, ESXVI_PASSWORD",
    uri: "esx://alice@h/",
    env: { ESXVI_PASSWORD: "p1", ESXVI_AUTH_FILE: authFile },
    want: { username: "alice", password: "p1" },
  },
  {
    name: "ESXVI_USER when the URI has none",
    uri: "esx://h/",
    env: { ESXVI_USER: "bob", ESXVI_PASSWORD: "p2" },
    want: { username: "bob", password: "p2" },
  },
  {
    name: "the auth file's user and password",
    uri: "esx://h/",
    env: { ESXVI_AUTH_FILE: authFile },
    want: { username: "labuser", password: "lab secret" },
  },
  {
    name: "the auth file's password needs its user",
    uri: "esx://carol@h/",
    env: { ESXVI_AUTH_FILE: authFile },
    prompt: "typed",
    want: { username: "carol", password: "typed" },
  },
  {
    name: "host-specific section",
    uri: "esx://esx1.example.com/",
    env: { ESXVI_AUTH_FILE: authFile },
    want: { username: "root", password: "ops-pass" },
  },
  {
    name: "libvirt's default users",
    uri: "vpx://vc/dc/cr",
    env: {},
    prompt: "x",
    want: { username: "administrator@vsphere.local", password: "x" },
  },
  { name: "root for hosts", uri: "esx://h/", env: {}, prompt: "y", want: { username: "root", password: "y" } },
  {
    name: "no password anywhere",
    uri: "esx://dave@h/",
    env: {},
    want: "no password for dave@h: set ESXVI_PASSWORD, add it to an auth file (libvirt's auth.conf format, see ESXVI_AUTH_FILE), or run on a terminal to be asked",
  },
];

for (const c of cases) {
  test(`resolveCredentials: ${c.name}`, async () => {
    const uri = parseConnectionUri(c.uri);
    const prompts: string[] = [];
    const sources = {
      env: { HOME: "/nonexistent", ...c.env },
      ...(c.prompt !== undefined ? { prompt: async (q: string) => (prompts.push(q), c.prompt as string) } : {}),
    };
    try {
      const got = await resolveCredentials(uri, uri.host, sources);
      assert.equal(got, c.want);
      if (c.prompt !== undefined) assert.equal(prompts, [`Enter ${got.username}'s password for ${uri.host}: `]);
    } catch (e) {
      assert.ok(e instanceof EsxviError && e.code === "AUTH_FAILED", String(e));
      assert.is((e as Error).message, c.want);
    }
  });
}

let sim: Simulator | undefined;
if (requireSimulator("credentials")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx", tls: true, user: "labuser", password: "lab secret" });
  });
  test.after(async () => {
    await sim?.stop();
  });

  test("the CLI logs in with an auth file alone (no user in the URI, no ESXVI_PASSWORD)", async () => {
    const s = sim as Simulator;
    const uri = simulatorUri(s).replace(`${encodeURIComponent(s.user)}@`, "");
    const r = await esxvi(undefined, ["hostname"], { uri, env: { ESXVI_AUTH_FILE: authFile } });
    assert.equal([r.status, r.stdout, r.stderr], [0, "localhost.localdomain\n", ""]);
    const wrong = await esxvi(undefined, ["hostname"], { uri, env: { ESXVI_PASSWORD: "not it", ESXVI_USER: "labuser" } });
    assert.is(wrong.status, 1);
    assert.match(wrong.stderr, /InvalidLogin/);
    assert.not.match(wrong.stderr, /not it/);
  });
}

test.run();
