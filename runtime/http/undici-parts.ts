/**
 * The parts of undici the HTTP transport uses (the connection pool, the connector and the
 * request API), loaded by their own files. undici's root module loads all of undici (fetch,
 * WebSocket, caches, EventSource, mocks, interceptors: 111 files through a request, against
 * 25 for these parts), and every command would pay for loading what it never uses.
 *
 * These paths are undici's internal layout, not its public API: package.json pins undici to
 * one minor version (`~7.x`) so that a release that moves a file is an upgrade made on
 * purpose, and test/runtime/undici-parts.test.ts fails when a path stops resolving or when the
 * root module is loaded after all. The types are undici's public ones
 * (runtime/http/undici-deep-paths.d.ts).
 */
import type { Dispatcher, Pool as PoolClass, buildConnector as BuildConnector } from "undici";
import requestApi from "undici/lib/api/api-request.js";
import connectorBuilder from "undici/lib/core/connect.js";
import PoolModule from "undici/lib/dispatcher/pool.js";

export type { Dispatcher };

/** undici's Pool (as `import { Pool } from "undici"`). */
export const Pool: typeof PoolClass = PoolModule;
export type Pool = PoolClass;

/** undici's buildConnector (as `import { buildConnector } from "undici"`). */
export const buildConnector: typeof BuildConnector = connectorBuilder;
export type Connector = BuildConnector.connector;
export type ConnectCallback = BuildConnector.Callback;

/**
 * `dispatcher.request(options)`: undici's root installs its request API on every dispatcher
 * (Dispatcher.prototype); without the root, the same function is called on the dispatcher.
 */
export function request(dispatcher: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
  return requestApi.call<Dispatcher, [Dispatcher.RequestOptions], Promise<Dispatcher.ResponseData>>(dispatcher, options);
}
