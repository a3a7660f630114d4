/** virsh's first error line for failures that have one (e.g. "failed to get domain 'x'"). */
import { EsxviError } from "../../runtime/errors.js";

export function domainLookupFailure(error: unknown, domain: string, ..._rest: unknown[]): string | undefined {
  return error instanceof EsxviError && error.code === "NO_DOMAIN" ? `failed to get domain '${domain}'` : undefined;
}
