/** The `tandem` command tree. One file per command under commands/, each exporting `register`. */
import { Command, Option } from 'commander';
import type { Session } from './context.js';
import * as init from './commands/init.js';
import * as configSchema from './commands/config-schema.js';
import * as configCheck from './commands/config-check.js';
import * as check from './commands/check.js';
import * as plan from './commands/plan.js';
import * as sync from './commands/sync.js';
import * as reconcile from './commands/reconcile.js';
import * as serve from './commands/serve.js';
import * as dlq from './commands/dlq.js';
import * as trace from './commands/trace.js';
import * as nodes from './commands/nodes.js';
import * as demo from './commands/demo.js';
import * as stockReport from './commands/stock-report.js';
import * as financeReport from './commands/finance-report.js';
import * as secret from './commands/secret.js';
import * as user from './commands/user.js';
import * as token from './commands/token.js';
import * as audit from './commands/audit.js';
import * as sandbox from './commands/sandbox.js';

const COMMANDS = [init, configCheck, configSchema, check, plan, sync, reconcile, serve, dlq, trace, nodes, demo, stockReport, financeReport, secret, user, token, audit, sandbox];

export function buildProgram(session: Session, version: string): Command {
  const program = new Command('tandem')
    .description('Keeps an online shop and an ERP (Odoo) in sync: catalog, prices, customers, orders, stock, payments, invoices, returns.')
    .version(version, '-V, --version')
    .option('-c, --config <file>', 'config file (default: $TANDEM_CONFIG or ./tandem.yaml)')
    .option('--verbose', 'debug logs, and the stack trace of errors')
    .addOption(new Option('--log-format <format>', 'logs on stderr as pretty text or JSON lines (default: pretty on a terminal, JSON otherwise; env TANDEM_LOG_FORMAT)').choices(['pretty', 'json']))
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => session.io.stdout.write(s),
      writeErr: (s) => session.io.stderr.write(s),
    });
  for (const c of COMMANDS) c.register(program, session);
  // Subcommands inherit output and error handling.
  const adopt = (cmd: Command): void => {
    for (const sub of cmd.commands) {
      sub.exitOverride().configureOutput(program.configureOutput());
      adopt(sub);
    }
  };
  adopt(program);
  return program;
}
