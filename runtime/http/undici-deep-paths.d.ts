/**
 * Types of the undici files that runtime/http/undici-parts.ts loads by their own paths. Those
 * files are CommonJS modules whose `module.exports` is the very object that undici's root
 * exports under the same name, so each is typed by undici's own public declarations.
 */
declare module "undici/lib/dispatcher/pool.js" {
  import type { Pool } from "undici";
  const PoolClass: typeof Pool;
  export = PoolClass;
}

declare module "undici/lib/core/connect.js" {
  import type { buildConnector } from "undici";
  const connectorBuilder: typeof buildConnector;
  export = connectorBuilder;
}

declare module "undici/lib/api/api-request.js" {
  import type { Dispatcher } from "undici";
  /** Dispatcher.prototype.request, which undici's root installs on every dispatcher; here called on one. */
  function request<TOpaque = null>(
    this: Dispatcher,
    options: Dispatcher.RequestOptions<TOpaque>,
    callback: (err: Error | null, data: Dispatcher.ResponseData<TOpaque>) => void,
  ): void;
  // Last: the signature that `request.call(dispatcher, options)` takes.
  function request<TOpaque = null>(
    this: Dispatcher,
    options: Dispatcher.RequestOptions<TOpaque>,
  ): Promise<Dispatcher.ResponseData<TOpaque>>;
  export = request;
}
