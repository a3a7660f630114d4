/**
 * Reading a WSDL from a folder, a file, or over HTTP as a live ESXi serves it
 * (/sdk/vimService.wsdl importing vim.wsdl and its XSDs, resolved relative to the URL).
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { WsdlImportError } from "../../generator/wsdl/errors.js";
import { importAll, importWsdl, loadWsdl } from "../../generator/wsdl/import.js";
import { FIXTURES, MINI, missingReference, squeezed, WSDL_DIR } from "./support.js";

/** Serves /mini/<file> from fixtures/mini and /sdk/<file> from the vSphere WSDL folder; logs the paths asked for. */
function serve(): Promise<{ server: Server; base: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    requests.push(path);
    const m = /^\/(mini|sdk)\/([A-Za-z0-9_.-]+)$/.exec(path);
    const dir = m?.[1] === "mini" ? MINI : WSDL_DIR;
    try {
      if (m?.[2] === undefined) throw new Error("no such path");
      const body = readFileSync(join(dir, m[2]));
      res.writeHead(200, { "content-type": "text/xml" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, base: `http://127.0.0.1:${port}`, requests });
    });
  });
}

const http = await serve();
test.after(() => {
  http.server.close();
});

test("a folder, its .wsdl file and its URL give the same import", async () => {
  const fromFolder = await importAll({ wsdl: MINI });
  const fromFile = await importAll({ wsdl: join(MINI, "mini.wsdl") });
  const fromUrl = await importAll({ wsdl: `${http.base}/mini/mini.wsdl` });
  assert.equal(squeezed(fromFile.decls), squeezed(fromFolder.decls));
  assert.equal(squeezed(fromUrl.decls), squeezed(fromFolder.decls));
  assert.equal(fromUrl.wsdl.documents, [`${http.base}/mini/mini.wsdl`, `${http.base}/mini/mini-types.xsd`]);
});

test("a missing document over HTTP names the URL and the status", async () => {
  try {
    await loadWsdl(`${http.base}/mini/missing.wsdl`);
    assert.unreachable("loaded a missing WSDL");
  } catch (e) {
    assert.instance(e, WsdlImportError);
    assert.is((e as WsdlImportError).code, "HTTP_ERROR");
    assert.is((e as WsdlImportError).message, `GET ${http.base}/mini/missing.wsdl: HTTP 404 Not Found`);
  }
});

test("a folder without a WSDL, a missing file: errors name them", async () => {
  try {
    await loadWsdl(FIXTURES);
    assert.unreachable("loaded a folder without a WSDL");
  } catch (e) {
    assert.instance(e, WsdlImportError);
    assert.match((e as WsdlImportError).message, `WSDL folder '${FIXTURES}' has no .wsdl files and no vim.wsdl or vimService.wsdl`);
  }
  try {
    await loadWsdl(join(MINI, "nope.wsdl"));
    assert.unreachable("loaded a missing file");
  } catch (e) {
    assert.instance(e, WsdlImportError);
    assert.match((e as WsdlImportError).message, `cannot read ${join(MINI, "nope.wsdl")}: ENOENT`);
  }
});

const skip = missingReference(WSDL_DIR);
if (skip !== undefined) {
  console.log(`wsdl/read (vSphere over HTTP): ${skip}`);
} else {
  test("vSphere over HTTP as ESXi serves it: /sdk/vimService.wsdl imports vim.wsdl and the XSDs", async () => {
    http.requests.length = 0;
    const url = await importWsdl({ wsdl: `${http.base}/sdk/vimService.wsdl`, methods: ["PowerOnVM_Task"], types: ["TaskInfo"] });
    const local = await importWsdl({ wsdl: WSDL_DIR, methods: ["PowerOnVM_Task"], types: ["TaskInfo"] });
    assert.equal(squeezed(url.decls), squeezed(local.decls));
    assert.is(url.wsdl.apiVersion, "7.0.2.0");
    // Each document is fetched once, although core-types.xsd is referenced three times.
    assert.equal(
      http.requests,
      [
        "vimService.wsdl",
        "vim.wsdl",
        "core-types.xsd",
        "reflect-messagetypes.xsd",
        "reflect-types.xsd",
        "query-messagetypes.xsd",
        "query-types.xsd",
        "vim-messagetypes.xsd",
        "vim-types.xsd",
      ].map((n) => `/sdk/${n}`),
    );
  });
}

test.run();
