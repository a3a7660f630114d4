/**
 * A temporary stand-in for the one fault test the runtime is getting (`isFault` in
 * runtime/soap): true when `error` is a SOAP fault or a failed task whose fault is `name` or,
 * for the file faults this driver meets, one of its subtypes. Replace with the runtime's
 * once it lands.
 */
import { SoapFaultError } from "../../runtime/soap/index.js";
import { TaskError } from "../../runtime/task-waiter.js";

/** The fault types below each base that the storage driver tests for. */
const SUBTYPES: Readonly<Record<string, readonly string[]>> = {
  FileFault: ["FileNotFound", "FileAlreadyExists", "CannotAccessFile", "CannotCreateFile", "FileLocked", "NotADirectory", "NotAFile"],
  InvalidArgument: ["InvalidDatastorePath"],
};

function faultTypeOf(error: unknown): string | undefined {
  if (error instanceof TaskError) return error.faultType;
  if (error instanceof SoapFaultError) return error.faultType;
  return undefined;
}

export function isFault(error: unknown, name: string): boolean {
  const type = faultTypeOf(error);
  if (type === undefined) return false;
  return type === name || (SUBTYPES[name]?.includes(type) ?? false);
}
