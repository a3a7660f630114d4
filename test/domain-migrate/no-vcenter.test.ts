/**
 * Migration from a standalone ESX host connection (no vcenter= parameter) on the simulator
 * (ESX model): refused with a clear error before any migration call, the domain untouched.
 */
import { connectTo } from "../support/connect.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { EsxviError } from "../../errors/esxvi-error.js";
import { retrieveOne } from "../../runtime/property-collector.js";
import { type Connection } from "../../drivers/connection/connection.js";
import { lookupDomain } from "../../drivers/domain/lookup.js";
import { performMigration, prepareMigration } from "../../drivers/domain/migrate.js";
import { esxvi, simulatorUri } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";

const REFUSAL = "Migration not possible without a vCenter: connect with vpx://… or esx://…?vcenter=…";

let sim: Simulator;
let conn: Connection;

async function hostOf(name: string): Promise<string | undefined> {
  const ref = (await lookupDomain(conn, name)).identity.ref;
  return (await retrieveOne(conn.primary, ref, ["runtime.host"])).props["runtime.host"]?.value;
}

async function code(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, EsxviError);
    return { code: (e as EsxviError).code, message: (e as Error).message };
  }
  throw new Error("no error");
}

if (requireSimulator("domain migrate (esx without vcenter)")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx" });
    conn = await connectTo(sim);
  });

  test.after(async () => {
    await conn.close();
    await sim.stop();
  });

  test("migrate on esx:// without vcenter= is refused before any migration call; the domain stays", async () => {
    const before = await hostOf("ha-host_VM0");
    await sim.control.resetStats();
    for (const dest of [simulatorUri(sim), "vpxmigr://127.0.0.1/ha-root-pool/ha-host"]) {
      const r = await esxvi(sim, ["migrate", "--live", "ha-host_VM0", dest]);
      assert.is(r.stdout, "");
      assert.is(r.stderr, `error: ${REFUSAL}\n`);
      assert.is(r.status, 1);
    }
    const stats = await sim.control.stats();
    assert.is(stats.byMethod["ValidateMigration"], undefined);
    assert.is(stats.byMethod["MigrateVM_Task"], undefined);
    assert.is(await hostOf("ha-host_VM0"), before);
  });

  test("the driver: Prepare and Perform refuse with INVALID_ARG", async () => {
    assert.equal(await code(prepareMigration(conn)), { code: "INVALID_ARG", message: REFUSAL });
    assert.equal(await code(performMigration(conn, await lookupDomain(conn, "ha-host_VM0"), "vpxmigr://127.0.0.1/ha-root-pool/ha-host")), {
      code: "INVALID_ARG",
      message: REFUSAL,
    });
  });
}

test.run();
