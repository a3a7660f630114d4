/**
 * Domain events (esxvi's, libvirt's ESX driver has none):
 *   event [DOMAIN] {--event TYPE | --all | --list} [--loop] [--timeout N] [--timestamp] [--json]
 * as virsh's event command (one event unless --loop; "event loop interrupted/timed out" and
 * "events received: N" at the end; exit 1 when none came), and
 *   watch [DOMAIN] [--event TYPE] [--timeout N] [--json]
 * which streams every event until interrupted (Ctrl-C) or the timeout. Text lines follow
 * virsh ("event 'lifecycle' for domain 'x': Started Booted"); --json prints one JSON object
 * per line.
 */
import type { Command } from "commander";
import { AbortError, InvalidInputError } from "../../errors/esxvi-error.js";
import { DOMAIN_EVENT_TYPES, DomainEventWatcher, type DomainEvent, type DomainEventType } from "../../drivers/domain/events.js";
import { lookupDomain } from "../../drivers/domain/lookup.js";
import type { CommandContext } from "../command-context.js";
import type { ActionRunner } from "../action-runner.js";
import { failureLine, virshFailure } from "./failures.js";
import { exclusive } from "./option-values.js";

interface StreamOptions {
  readonly domain?: string;
  readonly event?: string;
  readonly timeout?: string;
  readonly timestamp?: boolean;
  readonly json?: boolean;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** virsh's text line for an event (without the newline). */
export function formatEventText(e: DomainEvent): string {
  const head = `event '${e.type}' for domain '${e.domain.name}': `;
  switch (e.type) {
    case "lifecycle":
      return `${head}${e.event} ${e.detail}`;
    case "question": {
      if (e.state === "answered" || e.question === undefined) return `${head}answered`;
      const q = e.question;
      const labels = q.choice.choiceInfo.map((c) => `'${c.label}'`);
      const def = q.choice.defaultIndex === undefined ? undefined : q.choice.choiceInfo[q.choice.defaultIndex]?.label;
      return `${head}pending '${oneLine(q.text)}', ${labels.length === 0 ? "no possible answers" : `possible answers are ${labels.join(", ")}`}${def === undefined ? "" : ` (default '${def}')`}`;
    }
    case "task":
      return `${head}${e.descriptionId} ${e.state}${e.error === undefined ? "" : `: ${e.error}`}`;
  }
}

/** One JSON object per event. */
export function eventJson(e: DomainEvent): Record<string, unknown> {
  const base = { event: e.type, time: e.time.toISOString(), domain: e.domain.name, uuid: e.domain.uuid };
  switch (e.type) {
    case "lifecycle":
      return { ...base, type: e.event, detail: e.detail, powerState: e.powerState };
    case "question": {
      const q = e.question;
      if (e.state === "answered" || q === undefined) return { ...base, state: "answered", id: e.id };
      const def = q.choice.defaultIndex === undefined ? undefined : q.choice.choiceInfo[q.choice.defaultIndex]?.label;
      return {
        ...base,
        state: "pending",
        id: e.id,
        text: q.text,
        choices: q.choice.choiceInfo.map((c) => ({ key: c.key, label: c.label })),
        default: def ?? null,
      };
    }
    case "task":
      return {
        ...base,
        task: e.task.value,
        descriptionId: e.descriptionId,
        state: e.state,
        ...(e.error !== undefined ? { error: e.error } : {}),
      };
  }
}

/** virTimeStringNowRaw: "YYYY-MM-DD HH:MM:SS.mmm+0000" in UTC. */
function timestamp(d: Date): string {
  return `${d.toISOString().replace("T", " ").replace("Z", "")}+0000`;
}

function parseTimeout(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) === 0 || Number(text) > 2_147_483) throw new InvalidInputError("invalid timeout");
  return Number(text) * 1000;
}

function eventTypes(o: StreamOptions & { all?: boolean; list?: boolean }, required: boolean): ReadonlySet<DomainEventType> {
  exclusive("all", o.all, "event", o.event !== undefined);
  if (o.event === undefined) {
    if (required && o.all !== true) throw new InvalidInputError("one of --list, --all, or --event <type> is required");
    return new Set(DOMAIN_EVENT_TYPES);
  }
  const t = DOMAIN_EVENT_TYPES.find((x) => x === o.event);
  if (t === undefined) throw new InvalidInputError(`unknown event type ${o.event}`);
  return new Set([t]);
}

type Ending = "done" | "timeout" | "interrupt";

/** Prints the wanted events until `stopAfterOne`'s first one, the timeout or the interrupt. */
async function stream(
  ctx: CommandContext,
  domain: string | undefined,
  o: StreamOptions,
  types: ReadonlySet<DomainEventType>,
  stopAfterOne: boolean,
): Promise<{ count: number; ending: Ending }> {
  const timeoutMs = parseTimeout(o.timeout);
  const conn = await ctx.connection();
  const only = domain === undefined ? undefined : await lookupDomain(conn, domain, [], { signal: ctx.signal });
  const watcher = await DomainEventWatcher.start(conn, {
    ...(only !== undefined ? { domain: only } : {}),
    signal: ctx.signal,
    logger: ctx.logger,
  });
  let ending: Ending = "interrupt";
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          ending = "timeout";
          void watcher.close();
        }, timeoutMs);
  let count = 0;
  try {
    for (;;) {
      const e = await watcher.next();
      if (e === undefined) break;
      if (!types.has(e.type)) continue;
      const line = o.json === true ? JSON.stringify(eventJson(e)) : formatEventText(e);
      ctx.out(`${o.timestamp === true ? `${timestamp(new Date())}: ` : ""}${line}\n`);
      count++;
      if (stopAfterOne) {
        ending = "done";
        break;
      }
    }
  } finally {
    clearTimeout(timer);
    await watcher.close();
  }
  return { count, ending };
}

export function registerEventCommands(program: Command, run: ActionRunner): void {
  program
    .command("event")
    .description("domain events: list event types, or wait for domain events to occur")
    .argument("[domain]", "filter by domain name, id or uuid")
    .option("--domain <domain>", "filter by domain name, id or uuid")
    .option("--event <type>", `which event type to wait for (${DOMAIN_EVENT_TYPES.join(", ")})`)
    .option("--all", "wait for all events instead of just one type")
    .option("--loop", "loop until timeout or interrupt, rather than one-shot")
    .option("--timeout <seconds>", "timeout seconds")
    .option("--list", "list valid event types")
    .option("--timestamp", "show timestamp for each printed event")
    .option("--json", "print each event as one line of JSON")
    .action(
      run(
        async (ctx, domainArg: string | undefined, o: StreamOptions & { all?: boolean; list?: boolean; loop?: boolean }) => {
          exclusive("list", o.list, "all", o.all);
          exclusive("list", o.list, "event", o.event !== undefined);
          if (o.list === true) return ctx.out(DOMAIN_EVENT_TYPES.map((t) => `${t}\n`).join(""));
          const types = eventTypes(o, true);
          const { count, ending } = await stream(ctx, o.domain ?? domainArg, o, types, o.loop !== true);
          if (o.json !== true) {
            if (ending === "interrupt") ctx.out("event loop interrupted\n");
            if (ending === "timeout") ctx.out("event loop timed out\n");
            ctx.out(`events received: ${count}\n`);
          }
          // virsh: no event is a failure (nothing more to report).
          if (count === 0) throw new AbortError("", { timeout: true });
        },
        (error, domainArg: string | undefined, o: StreamOptions) => failureLine(error, o.domain ?? domainArg ?? ""),
      ),
    );

  program
    .command("watch")
    .description("stream domain events (power state, questions, task completion) until interrupted")
    .argument("[domain]", "only this domain (name, id or uuid)")
    .option("--event <type>", `only this event type (${DOMAIN_EVENT_TYPES.join(", ")})`)
    .option("--timeout <seconds>", "stop after this many seconds")
    .option("--timestamp", "show timestamp for each printed event")
    .option("--json", "print each event as one line of JSON")
    .action(
      run(async (ctx, domain: string | undefined, o: StreamOptions) => {
        await stream(ctx, domain, o, eventTypes(o, false), false);
      }, virshFailure()),
    );
}
