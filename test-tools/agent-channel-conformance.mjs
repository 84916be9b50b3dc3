// Conformance client for `netsky io serve --source agent`, built on the official MCP TypeScript SDK
// (a client no one on this project wrote). Usage: node agent-channel-conformance.mjs <netsky-bin>
// The caller has already written one envelope into agent1's inbox; this script connects, lists tools,
// waits for the pushed notifications/claude/channel, answers it with tools/call reply, tries a bad
// send, and prints one JSON object with everything it saw. Exit 0 unless the SDK itself failed.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const bin = process.argv[2];
const deadline = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms));

const transport = new StdioClientTransport({ command: bin, args: ['io', 'serve', '--source', 'agent'], env: process.env, stderr: 'inherit' });
const client = new Client({ name: 'netsky-conformance', version: '1.0.0' });
const pushes = [];
let pushed;
const firstPush = new Promise((resolve) => { pushed = resolve; });
client.fallbackNotificationHandler = async (n) => {
  if (n.method === 'notifications/claude/channel') { pushes.push(n.params); pushed(); }
};

await Promise.race([client.connect(transport), deadline(30000, 'initialize')]);
const tools = await client.listTools();
await Promise.race([firstPush, deadline(20000, 'a notifications/claude/channel push')]);
const reply = await client.callTool({ name: 'reply', arguments: { chat_id: pushes[0].meta.chat_id, text: 'pong from the TypeScript SDK' } });
const bad = await client.callTool({ name: 'send', arguments: { to: 'not-an-agent', text: 'x' } });
const ping = await client.ping();
console.log(JSON.stringify({
  server: client.getServerVersion(),
  capabilities: client.getServerCapabilities(),
  instructions: client.getInstructions(),
  tools: tools.tools.map((t) => ({ name: t.name, required: t.inputSchema.required ?? [] })),
  pushes, reply, bad, ping,
}));
await client.close();
