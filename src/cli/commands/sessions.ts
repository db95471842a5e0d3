import type { Command } from 'commander';
import { systemClock, type Clock } from '../../clock.js';
import { loadConfigFile, type BridgeConfig } from '../../config/index.js';
import { CliSessions, type CliSession } from '../../device/index.js';
import { isBridgeError } from '../../errors.js';
import { AuditLog, auditUser } from '../../issuance/index.js';
import { openAuditLogger, openOwnAuditFile } from '../../config/files.js';
import {
  auditDescriptorDestination,
  createAuditLogger,
  createLogger,
  drainAuditBacklog,
  flushAuditBacklog,
  flushAuditStream,
  stderrIsStdout,
  type Logger,
} from '../../log.js';
import { createStore } from '../../store/index.js';
import { EXIT } from '../client/errors.js';
import { EXIT_CONFIG, exitOnConfigProblems } from '../config-errors.js';
import { formatError } from '../error-format.js';
import { helpText } from '../i18n/help.js';
import { t } from '../i18n/index.js';

type Action = 'list' | 'revoke';

/** Exit code when the shared store cannot be reached: nothing was listed or revoked. */
const EXIT_UNAVAILABLE = 1;

export interface SessionsOptions {
  user: string;
  /** Only users of this IdP (config id): a subject is unique within its IdP, not across IdPs. */
  idp?: string;
  json?: boolean;
}

/** Exit code of a revoke that would reach users of more than one IdP: nothing was revoked. */
const EXIT_AMBIGUOUS = 2;

export function registerSessions(program: Command): void {
  const sessions = program.command('sessions').description(helpText('sessions.description'));
  const subcommands: Array<[Action, string]> = [
    ['list', helpText('sessionsList.description')],
    ['revoke', helpText('sessionsRevoke.description')],
  ];
  for (const [action, description] of subcommands) {
    sessions
      .command(action)
      .description(description)
      .requiredOption('-c, --config <file>', helpText('sessions.config'))
      .requiredOption('-u, --user <email-or-subject>', helpText('sessions.user'))
      .option('--idp <id>', helpText('sessions.idp'))
      .option('--json', helpText('opt.json'))
      .action(async (opts: SessionsOptions & { config: string }) => {
        const config = await loadConfigFile(opts.config, process.env).catch((err: unknown) => exitOnConfigProblems(err, opts));
        const result = await sessionsCommand(config, action, opts, systemClock, createStore, (c) => adminAuditLogger(c, opts.config)).catch(
          (err: unknown) => exitOnConfigProblems(err, opts),
        );
        process.stdout.write(result.stdout);
        process.stderr.write(result.stderr);
        process.exitCode = result.code;
      });
  }
}

/** Exit code of a revoke whose audit records were not all written: the sessions are revoked all the same. */
const EXIT_NOT_RECORDED = 1;

/** The audit stream of a revocation from the shell, and where it writes (for messages). */
export interface AdminAudit {
  logger: Logger;
  destination: string;
  /** Tries once more to write the records it kept while it refused writes; answers the bytes still not written. */
  unwrittenBytes: () => number;
}

/**
 * The audit stream a revocation from the shell is recorded in: `audit.destination`'s file, which
 * `serve` created, opened without following a symbolic link and only if this user owns it
 * (openOwnAuditFile). `log`, `stdout` and `stderr` are the server process's own streams, out of this
 * command's reach: there the record goes to this command's stderr (its stdout is the report); when
 * that is the same open file as its stdout (`2>&1`), through the one writer of both (createAuditLogger).
 * Else as on a file: no notice at the exit of what it kept (it would go to stdout, after the
 * report), as the verdict names the sessions not recorded.
 */
export function adminAuditLogger(config: BridgeConfig, source = 'the configuration'): AdminAudit {
  const { destination } = config.audit;
  if (['log', 'stdout', 'stderr'].includes(destination)) {
    if (!stderrIsStdout()) return auditOnDescriptor(2, 'stderr');
    const logger = openAuditLogger({ audit: { destination: 'stderr' } }, createLogger(), source);
    return { logger, destination: 'stderr', unwrittenBytes: flushAuditBacklog };
  }
  return auditOnDescriptor(openOwnAuditFile(destination, source), destination);
}

/** The audit stream on a file descriptor already open for appending; `destination` names it in messages. */
export function auditOnDescriptor(fd: number, destination: string): AdminAudit {
  const stream = auditDescriptorDestination(fd);
  return { logger: createAuditLogger(createLogger(), destination, stream), destination, unwrittenBytes: () => flushAuditStream(stream) };
}

/**
 * What `rambridge sessions list|revoke` prints and its exit code; callable from tests. A revocation
 * writes one `cli-session-revoked` record (`by: admin`) per session to the audit stream, opened
 * first: a destination that cannot be opened (ConfigInvalid) revokes nothing. Records the stream
 * refused (a full disk) and could not write by the end: exit 1, naming those sessions.
 */
export async function sessionsCommand(
  config: BridgeConfig,
  action: Action,
  opts: SessionsOptions,
  clock: Clock = systemClock,
  openStore: typeof createStore = createStore,
  openAudit: (config: BridgeConfig) => AdminAudit = adminAuditLogger,
): Promise<{ code: number; stdout: string; stderr: string }> {
  // One line and a hint, or with --json one object, as the client commands report errors.
  const failed = (exitCode: number, code: string, message: string, hint: string | undefined) => ({
    code: exitCode,
    stdout: '',
    stderr: opts.json ? `${JSON.stringify({ error: { code, message, hint, exitCode } })}\n` : formatError(message, { hint }),
  });
  // A misspelt IdP would match no session: "0 revoked" and exit 0, while the sessions stay live. An
  // id no longer configured is taken only while this user has sessions under it: those of an IdP
  // removed from the configuration live on until they expire or are used, and must be reachable.
  const idps = config.idps.map((i) => i.id);
  const unknownIdp =
    opts.idp !== undefined && !idps.includes(opts.idp)
      ? failed(
          EXIT.USAGE,
          'ERR_CLI_USAGE',
          t('sessionsUnknownIdp', { idp: opts.idp, idps: idps.join(t('listSeparator')) }),
          t('sessionsUnknownIdpHint'),
        )
      : undefined;
  if (config.store.type === 'memory') {
    return unknownIdp ?? failed(EXIT_CONFIG, 'ERR_CLI_MEMORY_STORE', t('sessionsMemoryStore'), t('sessionsMemoryStoreHint'));
  }
  // The same store, with the same key prefix, as the running bridge: its sessions are right there.
  const store = openStore(config.store, clock);
  try {
    const sessions = new CliSessions({ store, clock, maxAgeSeconds: config.device.sessionMaxAgeSeconds });
    if (unknownIdp && (await sessions.listForUser(opts.user, opts.idp)).length === 0) return unknownIdp;
    const adminAudit = action === 'revoke' ? openAudit(config) : undefined;
    // A record the stream refused is kept to be written with the next one (or dropped: the backlog full).
    let refusals = 0;
    let dropped = false;
    const audit =
      adminAudit &&
      new AuditLog(adminAudit.logger, {
        mainLog: createLogger({ destination: process.stderr }),
        onWriteFailure: (lost) => {
          refusals += 1;
          dropped ||= lost;
        },
      });
    if (action === 'revoke') {
      // The same subject (or email) at two IdPs is two people: revoke for one, chosen by name.
      const idps = [...new Set((await sessions.listForUser(opts.user, opts.idp)).map((s) => s.identity.idp))];
      if (idps.length > 1) {
        return failed(
          EXIT_AMBIGUOUS,
          'ERR_CLI_USER_AMBIGUOUS',
          t('sessionsUserAmbiguous', { user: opts.user, count: idps.length, idps: idps.join(t('listSeparator')) }),
          t('sessionsUserAmbiguousHint', { idp: idps[0]! }),
        );
      }
    }
    const found = action === 'list' ? await sessions.listForUser(opts.user, opts.idp) : await sessions.revokeForUser(opts.user, opts.idp);
    const unrecorded: string[] = [];
    for (const s of found) {
      const before = refusals;
      audit?.event({ event: 'cli-session-revoked', by: 'admin', sid: s.sid, user: auditUser(s.identity) });
      if (refusals > before) unrecorded.push(s.sid);
      // Nothing held back any more: the records refused before were written with this one.
      else if (!dropped && adminAudit?.unwrittenBytes() === 0) unrecorded.length = 0;
    }
    const stdout = sessionsReport(found, action, opts);
    // Kept records that only wait for a full pipe's reader (a slow `2>&1 | less`) wait for it without
    // a deadline: the report and the verdict, written next into that pipe or after it, wait for the
    // same reader (the process does not exit before they are written), so a reader that never comes
    // back holds the command up no longer than before, and Ctrl-C still ends it. A refusal (a full
    // disk, a reader gone) ends the wait at once: only those records count as not recorded.
    const unwritten = adminAudit && unrecorded.length > 0 ? await drainAuditBacklog(Infinity, adminAudit.unwrittenBytes) : 0;
    if (adminAudit && unrecorded.length > 0 && (dropped || unwritten > 0)) {
      const vars = { count: unrecorded.length, destination: adminAudit.destination, sids: unrecorded.join(t('listSeparator')) };
      const error = failed(
        EXIT_NOT_RECORDED,
        'ERR_CLI_AUDIT_NOT_RECORDED',
        t(unrecorded.length === 1 ? 'sessionsNotRecordedOne' : 'sessionsNotRecorded', vars),
        t('sessionsNotRecordedHint'),
      );
      return { ...error, stdout };
    }
    return { code: 0, stdout, stderr: '' };
  } catch (err) {
    if (!isBridgeError(err, 'ERR_UNAVAILABLE')) throw err;
    // Detail names the server (password redacted) and the reason: an administrator is reading this.
    const { target, reason } = (err.detail ?? {}) as { target?: string; reason?: string };
    return failed(
      EXIT_UNAVAILABLE,
      err.code,
      `${err.message.replace(/^ERR_UNAVAILABLE: /, '')}${target ? ` (${target}: ${reason})` : ''}`,
      err.hint,
    );
  } finally {
    await store.close();
  }
}

/** The listing (or what was revoked), as text or JSON. No token or token hash is ever part of it. */
export function sessionsReport(sessions: CliSession[], action: Action, opts: SessionsOptions): string {
  const rows = sessions.map((s) => ({
    sid: s.sid,
    idp: s.identity.idp,
    issuer: s.identity.issuer,
    subject: s.identity.subject,
    email: s.identity.email,
    clientHost: s.client.host,
    clientIp: s.client.ip,
    clientVersion: s.client.version,
    createdAt: new Date(s.createdAt).toISOString(),
    expiresAt: new Date(s.expiresAt).toISOString(),
    refreshedAt: s.refreshedAt === undefined ? undefined : new Date(s.refreshedAt).toISOString(),
  }));
  if (opts.json) return `${JSON.stringify(action === 'list' ? rows : { revoked: rows }, null, 2)}\n`;
  const head =
    action === 'list'
      ? rows.length === 1
        ? t('sessionsListedOne', { user: opts.user })
        : t('sessionsListed', { user: opts.user, count: rows.length })
      : rows.length === 1
        ? t('sessionsRevokedOne', { user: opts.user })
        : t('sessionsRevoked', { user: opts.user, count: rows.length });
  return (
    `${head}\n` +
    rows
      .map(
        (r) =>
          `  ${t('sessionsRow', { sid: r.sid, user: r.email ?? r.subject, host: r.clientHost ?? t('sessionsNoHost'), ip: r.clientIp, created: r.createdAt, expires: r.expiresAt })}\n`,
      )
      .join('')
  );
}
