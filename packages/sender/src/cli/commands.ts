// The source-side commands, registered on a program: the sender package's own `brightclient-sender` and the
// server's `brightclient` (which adds the operator commands) offer exactly the same ones.
import type { Command } from 'commander';
import { registerAgentCommand } from './agent.command.ts';
import { registerCancelCommand } from './cancel.command.ts';
import { registerGenerateCommand } from './generate.command.ts';
import { registerMapCommand } from './map.command.ts';
import { registerRetryCommand } from './retry.command.ts';
import { registerSendCommand } from './send.command.ts';
import { registerUndoCommand } from './undo.command.ts';

export function registerSourceCommands(program: Command): void {
  registerSendCommand(program);
  registerRetryCommand(program);
  registerCancelCommand(program);
  registerUndoCommand(program);
  registerAgentCommand(program);
  registerGenerateCommand(program);
  registerMapCommand(program);
}

/** `brightclient … | head` closes stdout early: that ends the command quietly, not with a stack trace. */
export function quietOnClosedStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
