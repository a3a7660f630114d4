/**
 * virsh's table layout (cli/output/table.ts): columns padded to their widest cell in code
 * points (a character beyond U+FFFF counts once), the last column unpadded, the dashes.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { formatTable } from "../../cli/output/table.js";

test("columns padded to the widest cell plus two, the last one unpadded, dashes of width + 3", () => {
  assert.is(
    formatTable(
      ["Id", "Name", "State"],
      [
        ["1", "web01", "running"],
        ["-", "db", "shut off"],
      ],
    ),
    " Id   Name    State\n" + "------------------------\n" + " 1    web01   running\n" + " -    db      shut off\n",
  );
});

test("a character beyond U+FFFF is one column wide", () => {
  assert.is(
    formatTable(
      ["Id", "Name", "State"],
      [
        ["1", "web\u{1F600}", "running"],
        ["2", "webab", "paused"],
      ],
    ),
    " Id   Name    State\n" + "-----------------------\n" + " 1    web\u{1F600}    running\n" + " 2    webab   paused\n",
  );
});

test("without the header: no header line and no dashes, widths from the rows", () => {
  assert.is(formatTable(["Id", "Name"], [["1", "a"]], { header: false }), " 1   a\n");
});

test.run();
