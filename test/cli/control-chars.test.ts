/** Control characters from a server never reach the terminal raw, nor JSON output; input files are read with a limit. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { escapeControls } from "../../cli/output/control-chars.js";
import { toJson } from "../../cli/output/json.js";
import { formatError } from "../../cli/error-report.js";
import { readBoundedFile } from "../../runtime/bounded-file.js";
import { InvalidInputError } from "../../errors/esxvi-error.js";
import { esxvi } from "../support/cli.js";

test("NUL, ESC, CR, DEL and C1 controls are shown as \\xNN; newline and tab are kept", () => {
  assert.is(escapeControls("a\0b\u001b[2Jc\rd\u007f\u0085e\n\tf"), "a\\x00b\\x1b[2Jc\\x0dd\\x7f\\x85e\n\tf");
  assert.is(formatError(new Error("VM 'x\u001b]0;owned\u0007' not found")), "error: VM 'x\\x1b]0;owned\\x07' not found\n");
});

test("--json escapes every control character", () => {
  assert.is(toJson({ name: "a\0b\u001b\u007f\u009f" }), '{\n  "name": "a\\u0000b\\u001b\\u007f\\u009f"\n}');
});

test("/dev/zero as an input file is refused after the limit, not read into memory", async () => {
  const e = await readBoundedFile("/dev/zero", "the file '/dev/zero'", 1 << 20).catch((x: unknown) => x);
  assert.instance(e, InvalidInputError);
  assert.is((e as InvalidInputError).message, "the file '/dev/zero' is larger than 1048576 bytes");
  const r = await esxvi(undefined, ["domxml-from-native", "vmware-vmx", "/dev/zero"]);
  assert.equal(
    [r.status, r.stderr],
    [1, "error: /dev/zero: cannot convert from vmware-vmx\nerror: the file '/dev/zero' is larger than 10485760 bytes\n"],
  );
});

test.run();
