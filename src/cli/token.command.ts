// `brightclient token create|list|revoke`: source tokens through the admin API. A token's secret is shown once,
// when it is issued; a list shows ids, sources and dates only.
import type { Command } from 'commander';
import { adminGet, adminPost, resolveAdminTarget, shortTime, table, withAdminOptions, type AdminOptions } from './admin-client.ts';

interface TokenSummary {
  id: string;
  source: string;
  createdAt: string;
  revokedAt: string | null;
}

export function registerTokenCommand(program: Command): void {
  const token = program.command('token').description('manage source tokens');
  withAdminOptions(
    token
      .command('create')
      .description('issue a source token for a practice (shown once, stored hashed)')
      .argument('<practiceId>', 'the practice id')
      .requiredOption('--source <slug>', 'the source product, e.g. brightmanager, brightbooks, brightap'),
  ).action(async (practiceId: string, options: AdminOptions & { source: string }) => {
    const created = await adminPost<{ token: string }>(
      resolveAdminTarget(options),
      `/admin/practices/${encodeURIComponent(practiceId)}/tokens`,
      {
        source: options.source,
      },
    );
    process.stdout.write(`${created.token}\n`);
  });
  withAdminOptions(
    token
      .command('list')
      .description("list a practice's source tokens, revoked ones included (ids only: secrets are not kept)")
      .argument('<practiceId>', 'the practice id'),
  ).action(async (practiceId: string, options: AdminOptions) => {
    const { tokens } = await adminGet<{ tokens: TokenSummary[] }>(
      resolveAdminTarget(options),
      `/admin/practices/${encodeURIComponent(practiceId)}/tokens`,
    );
    if (tokens.length === 0) return void process.stdout.write('The practice has no source tokens.\n');
    process.stdout.write(
      table([
        ['id', 'source', 'created (UTC)', 'revoked (UTC)'],
        ...tokens.map((t) => [t.id, t.source, shortTime(t.createdAt), t.revokedAt ? shortTime(t.revokedAt) : '-']),
      ]),
    );
  });
  withAdminOptions(
    token
      .command('revoke')
      .description('revoke a source token: its source then gets 401 "has been revoked"')
      .argument('<token>', 'the token id (from token list) or the token itself'),
  ).action(async (given: string, options: AdminOptions) => {
    const revoked = await adminPost<TokenSummary & { practiceId: string }>(resolveAdminTarget(options), '/admin/tokens/revoke', {
      token: given,
    });
    process.stdout.write(
      `Revoked token ${revoked.id} (${revoked.source}) of practice ${revoked.practiceId} at ${shortTime(revoked.revokedAt!)} UTC.\n`,
    );
  });
}
