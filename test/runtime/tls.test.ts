/**
 * TLS policy against the launcher with -tls (a self-signed certificate for 127.0.0.1):
 * refused by default with a message that says what to do, accepted with no_verify, with
 * the right SHA-1 or SHA-256 thumbprint in any spelling, or with the certificate as CA
 * file; refused with a wrong thumbprint or another CA — and nothing is sent to a server
 * that was refused. Plain HTTP is only spoken when the origin says http://.
 */
import { rootCertificates } from "node:tls";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InvalidInputError } from "../../errors/esxvi-error.js";
import { HttpError, TlsError } from "../../runtime/http/http-errors.js";
import { parseThumbprint } from "../../runtime/http/tls.js";
import { Session } from "../../runtime/session.js";
import type { TlsSettings } from "../../runtime/http/tls.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { localServer, originOf } from "./helpers.js";

let sim: Simulator;
let sha1: string;
let sha256: string;

function open(tls: TlsSettings, origin = originOf(sim)): Promise<Session> {
  return Session.connect({ origin, username: sim.user, password: sim.password, tls });
}

async function refusal(tls: TlsSettings, origin?: string): Promise<unknown> {
  try {
    const s = await open(tls, origin);
    await s.close();
  } catch (e) {
    return e;
  }
  throw new Error("the connection was accepted");
}

async function accepted(tls: TlsSettings): Promise<void> {
  const s = await open(tls);
  try {
    assert.is(s.productLine, "esx");
  } finally {
    await s.close();
  }
}

test("parseThumbprint accepts SHA-1 and SHA-256 in colon, plain and lower-case spellings", () => {
  const hex1 = "2C11EDD713877DB57418B81C42C2561F0DB95BB9";
  const want1 = "2C:11:ED:D7:13:87:7D:B5:74:18:B8:1C:42:C2:56:1F:0D:B9:5B:B9";
  for (const given of [hex1, want1, hex1.toLowerCase(), want1.toLowerCase(), want1.replace(/:/g, "-"), ` ${want1} `]) {
    assert.equal(parseThumbprint(given), { algorithm: "sha1", value: want1 }, given);
  }
  const hex256 = "D9A076CB50FF05EE8C8CDED8903323DBCE1D22D653846AA41B4EB97C2726BA9E";
  assert.equal(parseThumbprint(hex256.toLowerCase()), { algorithm: "sha256", value: (hex256.match(/../g) ?? []).join(":") });
  for (const bad of ["", "2C:11", `${hex1}00`, "ZZ".repeat(20), hex256.slice(2)]) {
    assert.throws(
      () => parseThumbprint(bad),
      (e: unknown) =>
        e instanceof InvalidInputError && e.message.includes("is not a SHA-1 (40 hex digits) or SHA-256 (64 hex digits) thumbprint"),
      bad,
    );
  }
});

if (requireSimulator("runtime TLS")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx", vms: 1, tls: true });
    if (sim.thumbprintSha1 === undefined || sim.thumbprintSha256 === undefined || sim.certPem === undefined)
      throw new Error("the -tls launcher gave no certificate");
    sha1 = sim.thumbprintSha1;
    sha256 = sim.thumbprintSha256;
  });

  test.after(async () => {
    await sim.stop();
  });

  test("an unknown certificate is refused with a clear message, before anything is sent", async () => {
    await sim.control.resetStats();
    const e = await refusal({ verify: true });
    assert.instance(e, TlsError);
    const t = e as TlsError;
    assert.is(t.code, "TLS_ERROR");
    assert.is(t.thumbprintSha1, sha1);
    assert.is(t.thumbprintSha256, sha256);
    assert.is(
      t.message,
      `the certificate of 127.0.0.1:${sim.port} is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT). Its SHA-256 thumbprint is ${sha256}: ` +
        `pin it with thumbprint=${sha256}, trust its CA with cafile=<file>, or turn verification off with no_verify=1`,
    );
    assert.is((await sim.control.stats()).soapCalls, 0, "no SOAP request reached the untrusted server");
  });

  test("no_verify accepts the certificate", async () => {
    await accepted({ verify: false });
  });

  test("the right thumbprint is accepted: SHA-1 and SHA-256, any spelling", async () => {
    await accepted({ verify: true, thumbprint: sha1 });
    await accepted({ verify: true, thumbprint: sha256 });
    await accepted({ verify: true, thumbprint: sha256.replace(/:/g, "").toLowerCase() });
    await accepted({ verify: false, thumbprint: sha1.toLowerCase() });
  });

  test("a wrong thumbprint is refused, even with no_verify, and nothing is sent", async () => {
    await sim.control.resetStats();
    const wrong1 = sha1.replace(/^../, sha1.startsWith("00") ? "11" : "00");
    for (const [pin, algo, actual] of [
      [wrong1, "SHA1", sha1],
      [`${"AB:".repeat(31)}AB`, "SHA256", sha256],
    ] as const) {
      for (const verify of [true, false]) {
        const e = await refusal({ verify, thumbprint: pin });
        assert.instance(e, TlsError);
        assert.is(
          (e as TlsError).message,
          `the certificate of 127.0.0.1:${sim.port} does not match the pinned ${algo} thumbprint ${parseThumbprint(pin).value}: the server presented ${actual}`,
        );
      }
    }
    assert.is((await sim.control.stats()).soapCalls, 0);
  });

  test("the certificate as CA file is accepted; another CA is refused", async () => {
    await accepted({ verify: true, ca: sim.certPem ?? "" });
    const other = rootCertificates[0];
    if (other === undefined) throw new Error("Node has no root certificates");
    const e = await refusal({ verify: true, ca: other });
    assert.instance(e, TlsError);
    assert.match(
      (e as TlsError).message,
      /is not trusted \((DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN)\)/,
    );
  });

  test("plain HTTP only when the origin says http: an https origin never falls back", async () => {
    // http:// to the TLS port: the server answers 400 to plain HTTP; nothing is negotiated silently.
    const e = await refusal({ verify: true }, originOf(sim).replace(/^https:/, "http:"));
    assert.instance(e, HttpError);
    assert.is((e as HttpError).status, 400);
    // https:// to a plain HTTP server fails in the handshake instead of speaking HTTP.
    const plain = await localServer((_req, res) => res.end("plain"));
    try {
      const f = await refusal({ verify: false }, plain.origin.replace(/^http:/, "https:"));
      assert.instance(f, TlsError);
      assert.is(
        (f as TlsError).message,
        `the TLS handshake with https://127.0.0.1:${plain.port} failed: wrong version number (the server does not speak TLS on this port; plain HTTP needs transport=http)`,
      );
      assert.is(plain.requests.length, 0);
    } finally {
      await plain.close();
    }
  });
}

test.run();
