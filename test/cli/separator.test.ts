/** virsh's layout: a blank line after each command's output, none with -q; help and usage errors. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { esxvi } from "../support/cli.js";

test("a command's output ends with virsh's blank line, and -q leaves it out", async () => {
  const xml =
    "<domain type='vmware'><name>n</name><uuid>564d9bef-acd9-b4e0-c8f0-aea8b9103515</uuid><memory>4096</memory><os><type>hvm</type></os></domain>";
  const file = join(mkdtempSync(join(tmpdir(), "esxvi-sep-")), "d.xml");
  writeFileSync(file, xml);
  const plain = await esxvi(undefined, ["domxml-to-native", "vmware-vmx", file], { separator: true });
  assert.is(plain.status, 0, plain.stderr);
  assert.ok(
    plain.stdout.endsWith(
      'displayName = "n"\nmemsize = "4"\nnumvcpus = "1"\nfloppy0.present = "false"\nfloppy1.present = "false"\nvmci0.present = "true"\n\n',
    ),
    JSON.stringify(plain.stdout.slice(-120)),
  );
  const quiet = await esxvi(undefined, ["-q", "domxml-to-native", "vmware-vmx", file], { separator: true });
  assert.is(quiet.stdout, plain.stdout.slice(0, -1));
});

test("the separator follows a failed command too; usage errors and --help have none", async () => {
  const failed = await esxvi(undefined, ["domxml-to-native", "vmware-vmx", "/nonexistent/x.xml"], { separator: true });
  assert.is(failed.status, 1);
  assert.is(failed.stdout, "\n");
  assert.match(failed.stderr, /^error: /);
  const usage = await esxvi(undefined, ["no-such-command"], { separator: true });
  assert.is(usage.status, 1);
  assert.is(usage.stdout, "");
  assert.is(usage.stderr, "error: unknown command: 'no-such-command'\n");
  const help = await esxvi(undefined, ["list", "--help"], { separator: true });
  assert.is(help.status, 0);
  assert.match(help.stdout, /^Usage: esxvi list \[options\]\n/);
});

test.run();
