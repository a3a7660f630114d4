/**
 * Every command group of esxvi. A group registers its commands on the program; keep one
 * line per group here.
 */
import type { Command } from "commander";
import type { ActionRunner } from "../action-runner.js";
import { registerConnectionCommands } from "./connection.js";
import { registerListCommand } from "./list.js";
import { registerDomainInfoCommands } from "./domain-info.js";
import { registerHostCommands } from "./host.js";
import { registerDomainCapabilitiesCommand } from "./domain-capabilities.js";
import { registerDomainXmlCommands } from "./domain-xml.js";
import { registerLifecycleCommands } from "./domain-lifecycle.js";
import { registerTuningCommands } from "./domain-tuning.js";
import { registerAutostartCommand } from "./autostart.js";
import { registerSnapshotCommands } from "./snapshot.js";
import { registerMigrateCommand } from "./migrate.js";
import { registerEventCommands } from "./event.js";
import { registerNetworkCommands } from "./network.js";
import { registerInterfaceCommands } from "./interface.js";
import { registerStoragePoolCommands } from "./storage-pool.js";
import { registerStorageVolumeCommands } from "./storage-volume.js";
import { registerStorageVolumeChangeCommands } from "./storage-volume-changes.js";
import { registerStorageTransferCommands } from "./storage-transfer.js";
import { registerScreenshotCommand } from "./screenshot.js";

export function registerAll(program: Command, run: ActionRunner): void {
  registerConnectionCommands(program, run);
  registerListCommand(program, run);
  registerDomainInfoCommands(program, run);
  registerHostCommands(program, run);
  registerDomainCapabilitiesCommand(program, run);
  registerDomainXmlCommands(program, run);
  registerLifecycleCommands(program, run);
  registerTuningCommands(program, run);
  registerAutostartCommand(program, run);
  registerSnapshotCommands(program, run);
  registerMigrateCommand(program, run);
  registerEventCommands(program, run);
  registerNetworkCommands(program, run);
  registerInterfaceCommands(program, run);
  registerStoragePoolCommands(program, run);
  registerStorageVolumeCommands(program, run);
  registerStorageVolumeChangeCommands(program, run);
  registerStorageTransferCommands(program, run);
  registerScreenshotCommand(program, run);
}
