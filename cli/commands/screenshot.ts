/** virsh screenshot: the domain's screen as a PNG, to the file named or "<domain>_<time>.png". */
import type { Command } from "commander";
import { lookupDomain } from "../../drivers/domain/lookup.js";
import { domainScreenshot, SCREENSHOT_HOST_PATHS } from "../../drivers/domain/screenshot.js";
import { writeFileAtomically } from "../../drivers/storage/atomic-file.js";
import type { ActionRunner } from "../action-runner.js";
import { failureLine } from "./failures.js";
import { parseIntOption } from "./option-values.js";

/** virshGenFileName: "<domain>_<YYYY-MM-DD-HH:MM:SS>.png" in local time. */
export function screenshotFileName(domain: string, now = new Date()): string {
  const two = (n: number): string => String(n).padStart(2, "0");
  const stamp = `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}-${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}`;
  return `${domain}_${stamp}.png`;
}

export function registerScreenshotCommand(program: Command, run: ActionRunner): void {
  program
    .command("screenshot")
    .description("take a screenshot of a current domain console and store it into a file")
    .argument("<domain>", "domain name, id or uuid")
    .argument("[file]", "where to store the screenshot")
    .option("--file <file>", "where to store the screenshot")
    .option("--screen <screen>", "ID of a screen to take screenshot of")
    .action(
      run(
        async (ctx, domain: string, posFile: string | undefined, o: { file?: string; screen?: string }) => {
          const screen = o.screen === undefined ? 0 : parseIntOption(o.screen, "screen");
          const conn = await ctx.connection();
          const d = await lookupDomain(conn, domain, [], { signal: ctx.signal, hostPaths: SCREENSHOT_HOST_PATHS });
          const named = o.file ?? posFile;
          let file = named ?? "";
          const shot = await writeFileAtomically(
            (r: { domain: string }) => (file = named ?? screenshotFileName(r.domain)),
            (dest) => domainScreenshot(conn, d, dest, { screen, signal: ctx.signal }),
          );
          ctx.out(`Screenshot saved to ${file}, with type of ${shot.mimeType}\n`);
        },
        (error, domain: string) => failureLine(error, domain, `could not take a screenshot of ${domain}`),
      ),
    );
}
