/** Authentication failed: the server rejected the login, or no password could be found. */
import { EsxviError, type ErrorOptions } from "../errors/esxvi-error.js";

export class AuthenticationError extends EsxviError<"AUTH_FAILED"> {
  constructor(message: string, options?: ErrorOptions) {
    super("AUTH_FAILED", message, options);
  }
}
