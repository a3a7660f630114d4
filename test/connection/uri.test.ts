/**
 * libvirt's ESX URIs (esxUtil_ParseUri and esxConnectOpen's checks): schemes and default
 * ports, user, vpx paths, every query parameter with its default, warnings for what libvirt
 * ignores, and the errors with libvirt's messages — as given/want tables.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { defaultPort, defaultUser, parseConnectionUri, type ConnectionUri } from "../../drivers/connection/uri.js";
import { EsxviError } from "../../errors/esxvi-error.js";

type Want = Partial<ConnectionUri>;

const DEFAULTS = {
  user: undefined,
  path: [],
  transport: "https",
  vcenter: undefined,
  noVerify: false,
  autoAnswer: false,
  proxy: undefined,
  thumbprint: undefined,
  cafile: undefined,
  warnings: [],
} as const;

const OK: readonly { given: string; want: Want }[] = [
  { given: "esx://host", want: { ...DEFAULTS, scheme: "esx", host: "host", port: 443, pathText: "", text: "esx://host:443/" } },
  { given: "esx://host/", want: { ...DEFAULTS, scheme: "esx", host: "host", port: 443, pathText: "/", text: "esx://host:443/" } },
  { given: "esx://host/?transport=http", want: { scheme: "esx", port: 80, transport: "http", text: "esx://host:80/?transport=http" } },
  { given: "gsx://host/", want: { scheme: "gsx", port: 8333, transport: "https" } },
  { given: "gsx://host/?transport=http", want: { scheme: "gsx", port: 8222, transport: "http" } },
  {
    given: "vpx://vc/dc1/cluster1/esx1",
    want: {
      scheme: "vpx",
      host: "vc",
      port: 443,
      path: ["dc1", "cluster1", "esx1"],
      pathText: "/dc1/cluster1/esx1",
      text: "vpx://vc:443/dc1/cluster1/esx1",
    },
  },
  {
    given: "vpx://vc/f1/dc1/f2/srv1?transport=http&x=1",
    want: { path: ["f1", "dc1", "f2", "srv1"], port: 80, warnings: ["Ignoring unexpected query parameter 'x'"] },
  },
  { given: "ESX://root@host:8443/", want: { scheme: "esx", user: "root", port: 8443, text: "esx://root@host:8443/" } },
  { given: "esx://host:0/", want: { port: 443 } },
  { given: "esx://host:/", want: { port: 443 } },
  {
    given: "vpx://administrator%40vsphere.local@vc/dc/cr",
    want: { user: "administrator@vsphere.local", text: "vpx://administrator%40vsphere.local@vc:443/dc/cr" },
  },
  {
    given: "vpx://vc/my%20dc/my%20cluster/h",
    want: { path: ["my dc", "my cluster", "h"], pathText: "/my dc/my cluster/h", text: "vpx://vc:443/my%20dc/my%20cluster/h" },
  },
  { given: "esx://[::1]:444/", want: { host: "::1", port: 444, text: "esx://[::1]:444/" } },
  { given: "esx://h/?no_verify=1&auto_answer=1", want: { noVerify: true, autoAnswer: true } },
  { given: "esx://h/?No_Verify=1&AUTO_ANSWER=0&TRANSPORT=http", want: { noVerify: true, autoAnswer: false, transport: "http", port: 80 } },
  { given: "esx://h/?no_verify=1&no_verify=0", want: { noVerify: false } },
  { given: "esx://h/?no_verify=+1", want: { noVerify: true } },
  { given: "esx://h/?vcenter=*", want: { vcenter: "*" } },
  { given: "esx://h/?vcenter=vc.example.com", want: { vcenter: "vc.example.com" } },
  { given: "gsx://h/?vcenter=vc", want: { vcenter: "vc" } },
  {
    given: "vpx://vc/dc/cr?vcenter=other",
    want: { vcenter: undefined, warnings: ["Ignoring the vcenter parameter: a vpx:// URI already names a vCenter"] },
  },
  { given: "esx://h/?proxy=proxy.example.com", want: { proxy: { type: "http", host: "proxy.example.com", port: 1080 } } },
  { given: "esx://h/?proxy=http://p:3128", want: { proxy: { type: "http", host: "p", port: 3128 } } },
  { given: "esx://h/?proxy=socks://p", want: { proxy: { type: "socks5", host: "p", port: 1080 } } },
  { given: "esx://h/?proxy=socks4://p:1", want: { proxy: { type: "socks4", host: "p", port: 1 } } },
  { given: "esx://h/?proxy=socks4a://p:65535", want: { proxy: { type: "socks4a", host: "p", port: 65535 } } },
  { given: "esx://h/?proxy=socks5://p", want: { proxy: { type: "socks5", host: "p", port: 1080 } } },
  {
    given: "esx://h/?thumbprint=aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd",
    want: { thumbprint: "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD" },
  },
  { given: "esx://h/?cafile=/etc/ca.pem", want: { cafile: "/etc/ca.pem" } },
  {
    given: "esx://h/some/path",
    want: {
      path: [],
      pathText: "/some/path",
      warnings: ["Ignoring unexpected path '/some/path' for non-vpx scheme 'esx'"],
      text: "esx://h:443/some/path",
    },
  },
  {
    given: "esx://h/?foo=bar&Baz",
    want: { warnings: ["Ignoring unexpected query parameter 'foo'", "Ignoring unexpected query parameter 'Baz'"] },
  },
];

const ERRORS: readonly { given: string; code: string; message: string }[] = [
  {
    given: "not a uri",
    code: "INVALID_ARG",
    message: "'not a uri' is not a URI of the form {esx|gsx|vpx}://[user@]host[:port]/[path][?params]",
  },
  {
    given: "qemu:///system",
    code: "INVALID_ARG",
    message: "URI scheme 'qemu' is not supported: use esx:// (ESX/ESXi host), gsx:// (VMware Server) or vpx:// (vCenter)",
  },
  {
    given: "esx+ssh://root@h/",
    code: "INVALID_ARG",
    message: "Transport 'ssh' in URI scheme is not supported, try again without the transport part",
  },
  { given: "esx:///", code: "INVALID_ARG", message: "URI is missing the server part" },
  { given: "esx://root@/", code: "INVALID_ARG", message: "URI is missing the server part" },
  {
    given: "esx://root:secret@h/",
    code: "INVALID_ARG",
    message: "passwords are not accepted in the URI; use ESXVI_PASSWORD, an auth file or the prompt",
  },
  { given: "esx://h:70000/", code: "INVALID_ARG", message: "port 70000 in 'esx://h:70000/' is out of range" },
  {
    given: "esx://h/?transport=ftp",
    code: "INVALID_ARG",
    message: "Query parameter 'transport' has unexpected value 'ftp' (should be http|https)",
  },
  {
    given: "esx://h/?transport=HTTP",
    code: "INVALID_ARG",
    message: "Query parameter 'transport' has unexpected value 'HTTP' (should be http|https)",
  },
  {
    given: "esx://h/?no_verify=2",
    code: "INVALID_ARG",
    message: "Query parameter 'no_verify' has unexpected value '2' (should be 0 or 1)",
  },
  { given: "esx://h/?no_verify=", code: "INVALID_ARG", message: "Query parameter 'no_verify' has unexpected value '' (should be 0 or 1)" },
  {
    given: "esx://h/?auto_answer=yes",
    code: "INVALID_ARG",
    message: "Query parameter 'auto_answer' has unexpected value 'yes' (should be 0 or 1)",
  },
  {
    given: "esx://h/?proxy=ftp://p",
    code: "INVALID_ARG",
    message: "Query parameter 'proxy' contains unexpected type 'ftp' (should be (http|socks(|4|4a|5))",
  },
  { given: "esx://h/?proxy=:8080", code: "INVALID_ARG", message: "Query parameter 'proxy' doesn't contain a hostname" },
  {
    given: "esx://h/?proxy=p:0",
    code: "INVALID_ARG",
    message: "Query parameter 'proxy' has unexpected port value '0' (should be [1..65535])",
  },
  {
    given: "esx://h/?proxy=p:65536",
    code: "INVALID_ARG",
    message: "Query parameter 'proxy' has unexpected port value '65536' (should be [1..65535])",
  },
  { given: "esx://h/?vcenter=", code: "INVALID_ARG", message: "Query parameter 'vcenter' needs a host name or '*'" },
  {
    given: "esx://h/?thumbprint=12:34",
    code: "INVALID_ARG",
    message: "'12:34' is not a SHA-1 (40 hex digits) or SHA-256 (64 hex digits) thumbprint",
  },
  { given: "vpx://vc", code: "INVALID_ARG", message: "Path has to specify the datacenter and compute resource" },
  { given: "vpx://vc/", code: "INVALID_ARG", message: "Path has to specify the datacenter and compute resource" },
  { given: "vpx://vc/dc/%zz", code: "INVALID_ARG", message: "URI path '/dc/%zz' contains an invalid %-escape" },
];

test("valid URIs: given → want (defaults filled as libvirt fills them)", () => {
  for (const { given, want } of OK) {
    const got = parseConnectionUri(given);
    for (const [key, value] of Object.entries(want)) {
      assert.equal((got as unknown as Record<string, unknown>)[key], value, `${given}: ${key}`);
    }
  }
});

test("invalid URIs: given → libvirt's error, code INVALID_ARG", () => {
  for (const { given, code, message } of ERRORS) {
    try {
      parseConnectionUri(given);
      assert.unreachable(`${given} parsed`);
    } catch (e) {
      assert.instance(e, EsxviError, given);
      assert.is((e as EsxviError).code, code, given);
      assert.is((e as EsxviError).message, message, given);
    }
  }
});

test("default ports and users by scheme and transport", () => {
  assert.equal(
    (["esx", "gsx", "vpx"] as const).map((s) => [defaultPort(s, "https"), defaultPort(s, "http"), defaultUser(s)]),
    [
      [443, 80, "root"],
      [8333, 8222, "root"],
      [443, 80, "administrator@vsphere.local"],
    ],
  );
});

test.run();
