/** The VMX text parser: syntax, case-insensitive first-wins lookups, encodings, errors with lines. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseVmx, VmxError } from "../../drivers/vmx/index.js";

test("entries, comments, blank lines and case-insensitive first-wins lookup", () => {
  const doc = parseVmx(
    '# header comment\n\nconfig.version = "8"\r\nDisplayName = "a" # trailing comment\n' +
      'displayname = \'b\'\n\tscsi0:0.fileName="x.vmdk"\npciPassthru*.present = "False"\n',
  );
  assert.is(doc.entries.length, 5);
  assert.is(doc.get("displayName")?.value, "a");
  assert.is(doc.get("DISPLAYNAME")?.line, 4);
  assert.is(doc.get("scsi0:0.filename")?.value, "x.vmdk");
  assert.is(doc.get("pciPassthru*.present")?.value, "False");
  assert.is(doc.get("missing"), undefined);
});

test("triple-quoted values may span lines and keep line numbers right", () => {
  const doc = parseVmx('a = """one\ntwo"""\nb = "3"\n');
  assert.is(doc.get("a")?.value, "one\ntwo");
  assert.is(doc.get("b")?.line, 3);
});

function syntaxError(text: string, pattern: RegExp): void {
  assert.throws(
    () => parseVmx(text),
    (e: unknown) => e instanceof VmxError && e.code === "VMX_ERROR" && pattern.test(e.message),
    text,
  );
}

test("syntax errors name the line", () => {
  syntaxError('a = "1"\nb = 2\n', /line 2: expecting a quoted string value for 'b'/);
  syntaxError('a = "1"\n\n"c" = "3"\n', /line 3: expecting a name/);
  syntaxError('a = "unterminated\n', /line 1: unterminated string for 'a'/);
  syntaxError('a "1"\n', /line 1: expecting an assignment after 'a'/);
  syntaxError('a = "1" b\n', /line 1: expecting a separator/);
  syntaxError("a = [1, 2]\n", /quoted string/);
});

test("bytes are decoded in the charset .encoding names", () => {
  const latin = Buffer.from('.encoding = "windows-1252"\nannotation = "caf\xe9 \x80"\n', "latin1");
  assert.is(parseVmx(latin).get("annotation")?.value, "café €");
  const utf8 = Buffer.from('.encoding = "UTF-8"\nannotation = "café"\n', "utf8");
  assert.is(parseVmx(utf8).get("annotation")?.value, "café");
  const none = Buffer.from('annotation = "标准"\n', "utf8");
  assert.is(parseVmx(none).get("annotation")?.value, "标准");
  const iso = Buffer.from('.encoding = "ISO-8859-1"\na = "\xe4"\n', "latin1");
  assert.is(parseVmx(iso).get("a")?.value, "ä");
});

test("an unknown encoding is rejected by name", () => {
  assert.throws(() => parseVmx(Buffer.from('.encoding = "klingon-8"\n')), /unknown encoding 'klingon-8'/);
});

test.run();
