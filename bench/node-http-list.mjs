#!/usr/bin/env node
// The least a Node program does for `esxvi list --all` on an ESX host: esxvi's five SOAP
// requests (RetrieveServiceContent, Login, the inventory retrieval, the VM retrieval, Logout),
// written out as text, over one kept-alive connection with node:http; each answer is read
// whole and dropped: no SOAP library, no decoding, no table. It prints the answers' total size.
// bench/startup.ts times it beside esxvi and the govmomi program: what it takes is the part
// of any Node client's time that no change to esxvi can remove.
//
//   ESXVI_PASSWORD=... node bench/node-http-list.mjs http://127.0.0.1:PORT/sdk USER
import http from "node:http";

const [url, user] = process.argv.slice(2);
if (url === undefined || user === undefined) {
  process.stderr.write("usage: ESXVI_PASSWORD=... node bench/node-http-list.mjs URL USER\n");
  process.exit(2);
}
const target = new URL(url);
const escapeXml = (s) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

const ENVELOPE_HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
  ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">\n<soapenv:Body>\n';
const ENVELOPE_TAIL = "\n</soapenv:Body>\n</soapenv:Envelope>";
const traversal = (name, type, path, next) =>
  `<selectSet xsi:type="TraversalSpec"><name>${name}</name><type>${type}</type><path>${path}</path><skip>false</skip>` +
  (next === undefined ? "" : `<selectSet><name>${next}</name></selectSet>`) +
  "</selectSet>";
const collector = '<_this type="PropertyCollector">ha-property-collector</_this>';

const BODIES = [
  '<RetrieveServiceContent xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this></RetrieveServiceContent>',
  `<Login xmlns="urn:vim25"><_this type="SessionManager">ha-sessionmgr</_this><userName>${escapeXml(user)}</userName>` +
    `<password>${escapeXml(process.env.ESXVI_PASSWORD ?? "")}</password></Login>`,
  `<RetrievePropertiesEx xmlns="urn:vim25">${collector}<specSet>` +
    "<propSet><type>Datacenter</type><pathSet>name</pathSet><pathSet>vmFolder</pathSet><pathSet>hostFolder</pathSet></propSet>" +
    "<propSet><type>ComputeResource</type><pathSet>name</pathSet><pathSet>resourcePool</pathSet><pathSet>host</pathSet></propSet>" +
    "<propSet><type>HostSystem</type><pathSet>name</pathSet><pathSet>runtime.inMaintenanceMode</pathSet>" +
    "<pathSet>summary.managementServerIp</pathSet><pathSet>configManager</pathSet></propSet>" +
    '<objectSet><obj type="Folder">ha-folder-root</obj><skip>true</skip>' +
    traversal("rootToDatacenter", "Folder", "childEntity", "datacenterToHostFolder") +
    traversal("datacenterToHostFolder", "Datacenter", "hostFolder", "hostFolderToComputeResource") +
    traversal("hostFolderToComputeResource", "Folder", "childEntity", "computeResourceToHost") +
    traversal("computeResourceToHost", "ComputeResource", "host") +
    "</objectSet></specSet><options></options></RetrievePropertiesEx>",
  `<RetrievePropertiesEx xmlns="urn:vim25">${collector}<specSet><propSet><type>VirtualMachine</type>` +
    "<pathSet>name</pathSet><pathSet>config.uuid</pathSet><pathSet>configStatus</pathSet><pathSet>runtime.powerState</pathSet></propSet>" +
    '<objectSet><obj type="HostSystem">ha-host</obj><skip>true</skip>' +
    traversal("hostSystemToVm", "HostSystem", "vm") +
    "</objectSet></specSet><options></options></RetrievePropertiesEx>",
  '<Logout xmlns="urn:vim25"><_this type="SessionManager">ha-sessionmgr</_this></Logout>',
];

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let cookie;

function call(body) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        agent,
        headers: { "content-type": "text/xml; charset=utf-8", ...(cookie === undefined ? {} : { cookie }) },
      },
      (response) => {
        const set = response.headers["set-cookie"]?.[0];
        if (set !== undefined) cookie = set.split(";")[0];
        let size = 0;
        response.on("data", (chunk) => (size += chunk.length));
        response.on("end", () => (response.statusCode === 200 ? resolve(size) : reject(new Error(`HTTP ${response.statusCode}`))));
      },
    );
    request.on("error", reject);
    request.end(ENVELOPE_HEAD + body + ENVELOPE_TAIL);
  });
}

let total = 0;
for (const body of BODIES) total += await call(body);
agent.destroy();
process.stdout.write(`${total}\n`);
