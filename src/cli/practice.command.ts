// `brightclient practice create <name>` and `practice list`: the practices (tenants), through the admin API.
import type { Command } from 'commander';
import { adminGet, adminPost, resolveAdminTarget, shortTime, table, withAdminOptions, type AdminOptions } from './admin-client.ts';

interface PracticeSummary {
  id: string;
  name: string;
  createdAt: string;
  users: number;
  sources: string[];
}

export function registerPracticeCommand(program: Command): void {
  const practice = program.command('practice').description('manage practices (tenants)');
  withAdminOptions(
    practice.command('create').description('create a practice; prints its id').argument('<name>', 'the practice name'),
  ).action(async (name: string, options: AdminOptions) => {
    const created = await adminPost<{ id: string; name: string }>(resolveAdminTarget(options), '/admin/practices', { name });
    process.stdout.write(`Created practice "${created.name}": ${created.id}\n`);
  });
  withAdminOptions(
    practice.command('list').description('list the practices, oldest first, with their users and the sources holding a live token'),
  ).action(async (options: AdminOptions) => {
    const { practices } = await adminGet<{ practices: PracticeSummary[] }>(resolveAdminTarget(options), '/admin/practices');
    if (practices.length === 0) return void process.stdout.write('No practices yet.\n');
    process.stdout.write(
      table([
        ['id', 'created (UTC)', 'users', 'sources', 'name'],
        ...practices.map((p) => [p.id, shortTime(p.createdAt), String(p.users), p.sources.join(',') || '-', p.name]),
      ]),
    );
  });
}
