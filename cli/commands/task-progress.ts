/** A driver call that reports task progress, with a progress line on terminals (ctx.progress). */
import type { CommandContext } from "../command-context.js";

/** What a task-running driver call takes from the command: its signal and a progress callback (terminals only). */
export interface TaskRun {
  readonly signal: AbortSignal;
  readonly onProgress?: (percent: number) => void;
}

/** Runs `body` with the progress line labelled `label`, ended before the command prints anything else. */
export async function withTaskProgress<T>(ctx: CommandContext, label: string, body: (run: TaskRun) => Promise<T>): Promise<T> {
  const p = ctx.progress(label);
  try {
    return await body({ signal: ctx.signal, ...(p !== undefined ? { onProgress: (percent: number) => p.update(percent) } : {}) });
  } finally {
    p?.done();
  }
}
