/**
 * virsh's vshEditWriteToTempFile / vshEditFile / vshEditReadBackFile: the text goes to a
 * temporary .xml file, $VISUAL or $EDITOR (default vi) runs on it through sh, and the file is
 * read back. The editor has the terminal to itself while it runs.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OperationFailedError } from "../errors/esxvi-error.js";

export function editText(text: string, env: Readonly<Record<string, string | undefined>>): string {
  const dir = mkdtempSync(join(env["TMPDIR"] ?? tmpdir(), "esxvi-edit-"));
  const file = join(dir, "edit.xml");
  try {
    writeFileSync(file, text, { mode: 0o600 });
    const editor = env["VISUAL"] ?? env["EDITOR"] ?? "vi";
    // The editor may carry arguments ("emacs -nw"): sh splits it, the file name is passed as $1.
    const r = spawnSync("sh", ["-c", `${editor} "$1"`, "sh", file], { stdio: "inherit", env: { ...process.env, ...env } });
    if (r.error !== undefined) throw new OperationFailedError(`Cannot run editor '${editor}'`, { cause: r.error });
    if (r.status !== 0) throw new OperationFailedError(`Child process (${editor} ${file}) unexpected exit status ${r.status ?? r.signal}`);
    return readFileSync(file, "utf8");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
