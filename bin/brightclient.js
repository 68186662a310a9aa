#!/usr/bin/env node
// The `brightclient` command. It runs the TypeScript sources directly, which needs Node.js ≥ 22.18 (type stripping);
// inside this repository `npx brightclient` picks the pinned Node 24 from node_modules.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`brightclient needs Node.js 22.18 or newer (this is ${process.version}); in the repository run \`npx brightclient …\`.\n`);
  process.exit(1);
}
await import('../src/cli/main.ts');
