// The arrows between src/'s folders run one way: no folder imports, directly or through others, from a folder that
// imports it (type-only imports count: they tie the two as much). A file at src/'s top level is a node of its own.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const SRC = path.resolve(import.meta.dirname, '../../src');

/** A file's room: its top folder under src/, or the file itself at the top level. */
const roomOf = (file: string) => path.relative(SRC, file).split(path.sep)[0]!;

/** Each room's arrows to other rooms, with one import that makes each. */
function arrows(): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  const files = fs.readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f));
  for (const relative of files) {
    const file = path.join(SRC, relative);
    for (const { fileName } of ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), fileName);
      if (!target.startsWith(SRC + path.sep)) continue;
      const [from, to] = [roomOf(file), roomOf(target)];
      if (from === to) continue;
      if (!out.has(from)) out.set(from, new Map());
      if (!out.get(from)!.has(to)) out.get(from)!.set(to, `src/${relative} → ${fileName}`);
    }
  }
  return out;
}

/** A cycle among the rooms, as the imports that make it, or null. */
function cycle(graph: Map<string, Map<string, string>>): string[] | null {
  const done = new Set<string>();
  const visit = (room: string, trail: string[], edges: string[]): string[] | null => {
    const at = trail.indexOf(room);
    if (at >= 0) return edges.slice(at);
    if (done.has(room)) return null;
    for (const [to, via] of graph.get(room) ?? []) {
      const found = visit(to, [...trail, room], [...edges, via]);
      if (found) return found;
    }
    done.add(room);
    return null;
  };
  for (const room of graph.keys()) {
    const found = visit(room, [], []);
    if (found) return found;
  }
  return null;
}

test('the folders of src/ import each other one way only', () => {
  const graph = arrows();
  assert.ok((graph.get('imports')?.size ?? 0) > 0, 'the import graph was read');
  const found = cycle(graph);
  assert.equal(found, null, `a cycle between folders: ${found?.join(', ')}`);
});

test('the check finds a cycle when there is one', () => {
  const graph = new Map([
    ['a', new Map([['b', 'a.ts → ../b/x.ts']])],
    ['b', new Map([['c', 'b.ts → ../c/x.ts']])],
    ['c', new Map([['a', 'c.ts → ../a/x.ts']])],
  ]);
  assert.deepEqual(cycle(graph), ['a.ts → ../b/x.ts', 'b.ts → ../c/x.ts', 'c.ts → ../a/x.ts']);
  graph.get('c')!.clear();
  assert.equal(cycle(graph), null);
});
