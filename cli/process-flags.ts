/**
 * V8 settings of the esxvi process, applied first by main() (before undici is loaded).
 * undici parses HTTP with a WebAssembly module; a few seconds into a connection V8
 * recompiles its hot functions with its optimising compiler on a background thread, which
 * takes about 30 MiB for a moment — a third of what a whole transfer may hold. The baseline
 * compiler's code parses the few KiB of a SOAP answer just as well, and the bodies of file
 * transfers do not go through that parser at all.
 */
import { setFlagsFromString } from "node:v8";

export function applyProcessFlags(): void {
  setFlagsFromString("--liftoff-only");
}
