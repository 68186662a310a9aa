// `brightclient user create <practiceId> <email>` and `user reset-password <email>`: practice users of the web UI,
// through the admin API.
// The password comes from a hidden prompt, standard input (first line, when piped), $BRIGHTCLIENT_PASSWORD or
// --password (which other users of the machine can see in the process list).
import type { Command } from 'commander';
import { text } from 'node:stream/consumers';
import { adminPost, resolveAdminTarget, withAdminOptions, type AdminOptions } from './admin-client.ts';

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          finish();
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          finish();
          reject(new Error('cancelled'));
          return;
        }
        value = ch === '\u007f' || ch === '\b' ? value.slice(0, -1) : value + ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function readPassword(option: string | undefined): Promise<string> {
  const given = option ?? process.env.BRIGHTCLIENT_PASSWORD;
  if (given) return given;
  if (!process.stdin.isTTY) return (await text(process.stdin)).split(/\r?\n/)[0] ?? '';
  const password = await promptHidden('Password: ');
  if ((await promptHidden('Password again: ')) !== password) throw new Error('The two passwords differ.');
  return password;
}

export function registerUserCommand(program: Command): void {
  const user = program.command('user').description('manage practice users (who sign in to the web UI)');
  withAdminOptions(
    user
      .command('create')
      .description('create a user of a practice; the password is prompted for (or read from $BRIGHTCLIENT_PASSWORD or standard input)')
      .argument('<practiceId>', 'the practice id')
      .argument('<email>', 'the email the user signs in with')
      .option('--password <password>', 'the password (visible to other users of this machine: prefer the prompt)'),
  ).action(async (practiceId: string, email: string, options: AdminOptions & { password?: string }) => {
    const target = resolveAdminTarget(options);
    const password = await readPassword(options.password);
    const created = await adminPost<{ id: string; email: string }>(target, `/admin/practices/${encodeURIComponent(practiceId)}/users`, {
      email,
      password,
    });
    process.stdout.write(`Created user ${created.email} (${created.id}); they sign in at ${target.server}\n`);
  });
  withAdminOptions(
    user
      .command('reset-password')
      .description("set a new password for a user who lost theirs (prompted for, as for create); ends the user's sessions")
      .argument('<email>', 'the email the user signs in with')
      .option('--password <password>', 'the password (visible to other users of this machine: prefer the prompt)'),
  ).action(async (email: string, options: AdminOptions & { password?: string }) => {
    const target = resolveAdminTarget(options);
    const password = await readPassword(options.password);
    const changed = await adminPost<{ email: string }>(target, '/admin/users/reset-password', { email, password });
    process.stdout.write(`New password set for ${changed.email}; they sign in with it at ${target.server}\n`);
  });
}
