// A conformance run with the official MCP TypeScript SDK client (test-tools/node_modules), which is
// what Claude Code itself builds on. Input through env: MCP_SDK_DIR, MCP_SERVER_ARGV (JSON array),
// MCP_SERVER_ENV (JSON object), MCP_CALLS (JSON array of {name, arguments}), MCP_WAIT_PUSHES.
// Prints one JSON object: capabilities, serverInfo, instructions, tools, results, pushes.
import { pathToFileURL } from 'node:url';

const sdk = process.env.MCP_SDK_DIR;
const { Client } = await import(pathToFileURL(sdk + '/dist/esm/client/index.js').href);
const { StdioClientTransport } = await import(pathToFileURL(sdk + '/dist/esm/client/stdio.js').href);

const [command, ...args] = JSON.parse(process.env.MCP_SERVER_ARGV);
const transport = new StdioClientTransport({ command, args, env: JSON.parse(process.env.MCP_SERVER_ENV), stderr: 'inherit' });
const client = new Client({ name: 'netsky-ts-conformance', version: '1.0.0' });
const pushes = [];
client.fallbackNotificationHandler = async (n) => {
  if (n.method === 'notifications/claude/channel') pushes.push(n.params);
};
await client.connect(transport);
const out = {
  capabilities: client.getServerCapabilities(),
  serverInfo: client.getServerVersion(),
  instructions: client.getInstructions(),
  tools: (await client.listTools()).tools.map((t) => ({ name: t.name, inputSchema: t.inputSchema })),
  results: [],
};
for (const call of JSON.parse(process.env.MCP_CALLS || '[]')) out.results.push(await client.callTool(call));
const want = Number(process.env.MCP_WAIT_PUSHES || 0);
const deadline = Date.now() + 20000;
while (pushes.length < want && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
out.pushes = pushes;
await client.close();
process.stdout.write(JSON.stringify(out) + '\n');
