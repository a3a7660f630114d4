/** Asks for a password on the terminal without echoing it; only when stdin is a terminal. */
import type { PasswordPrompt } from "../drivers/connection/credentials.js";
import { AbortError } from "../errors/esxvi-error.js";

export function terminalPrompt(): PasswordPrompt | undefined {
  const input = process.stdin;
  if (!input.isTTY || !process.stderr.isTTY) return undefined;
  return (question) =>
    new Promise<string>((resolve, reject) => {
      process.stderr.write(question);
      input.setRawMode(true);
      input.resume();
      input.setEncoding("utf8");
      let answer = "";
      const done = (error?: Error): void => {
        input.setRawMode(false);
        input.pause();
        input.off("data", onData);
        process.stderr.write("\n");
        if (error === undefined) resolve(answer);
        else reject(error);
      };
      const onData = (chunk: string): void => {
        for (const ch of chunk) {
          if (ch === "\r" || ch === "\n" || ch === "\u0004") return done();
          if (ch === "\u0003") return done(new AbortError("interrupted"));
          if (ch === "\u007f" || ch === "\b") answer = answer.slice(0, -1);
          else answer += ch;
        }
      };
      input.on("data", onData);
    });
}
