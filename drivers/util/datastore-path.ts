/**
 * Datastore paths of the form "[<datastore>] <path>", split the way libvirt's
 * esxUtil_ParseDatastorePath does it.
 */
import { InvalidInputError } from "../../errors/esxvi-error.js";

export interface DatastorePath {
  /** The name between the brackets. */
  readonly datastore: string;
  /** Everything before the last "/" of the path, or the whole path when it has no "/". */
  readonly directory: string;
  /** The path after the "]" with leading spaces skipped ("" when there is none). */
  readonly directoryAndFile: string;
}

/**
 * Splits "[ds] dir/file". Rejects a path that does not start with "[", an empty
 * datastore name ("[]") and a missing "]" with an InvalidInputError.
 */
export function parseDatastorePath(path: string): DatastorePath {
  const fail = (): never => {
    throw new InvalidInputError(`Datastore path '${path}' doesn't have expected format '[<datastore>] <path>'`);
  };
  if (!path.startsWith("[")) fail();
  // strtok semantics: the datastore is the text up to the first "]", and it must not be empty.
  const close = path.indexOf("]", 1);
  if (close === 1) fail();
  if (close < 0) {
    // strtok returns the rest of the string as the token when no "]" follows.
    if (path.length === 1) fail();
    return { datastore: path.slice(1), directory: "", directoryAndFile: "" };
  }
  const datastore = path.slice(1, close);
  const rest = path.slice(close + 1);
  let i = 0;
  while (rest.charCodeAt(i) === 0x20) i++;
  const directoryAndFile = rest.slice(i);
  const slash = directoryAndFile.lastIndexOf("/");
  const directory = slash < 0 ? directoryAndFile : directoryAndFile.slice(0, slash);
  return { datastore, directory, directoryAndFile };
}
