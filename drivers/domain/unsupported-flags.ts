/**
 * libvirt's virCheckFlags: a driver function given flags it does not take fails with
 * "unsupported flags (0x…) in function <name>" (VIR_ERR_INVALID_ARG) before it does anything.
 */
import { InvalidInputError } from "../../errors/esxvi-error.js";

export function unsupportedFlags(libvirtFunction: string, flags: number): InvalidInputError<"ARGUMENT_UNSUPPORTED"> {
  return new InvalidInputError(`invalid argument: unsupported flags (0x${flags.toString(16)}) in function ${libvirtFunction}`, {
    code: "ARGUMENT_UNSUPPORTED",
  });
}

/** Throws unsupportedFlags for the bits of `flags` outside `allowed`. */
export function checkFlags(libvirtFunction: string, flags: number, allowed = 0): void {
  const extra = flags & ~allowed;
  if (extra !== 0) throw unsupportedFlags(libvirtFunction, extra);
}
