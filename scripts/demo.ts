/**
 * npm run demo: starts the bundled simulator, runs a short tour of the CLI against it and
 * stops it. The runtime slice (issue 3) is not there yet.
 */
process.stdout.write("esxvi demo: not yet — the CLI tour arrives with the runtime (issue 3).\n");
