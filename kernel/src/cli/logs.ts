// Logs a person reads on a terminal (pino-pretty: time, level, message, then the fields) and JSON
// lines everywhere else (files, pipes, log collectors), decided by whether stdout is a terminal.
import type { WriteStream } from 'node:tty';
import type { DestinationStream } from 'pino';

export async function prettyLogsForTerminal(
  out: NodeJS.WriteStream | WriteStream,
): Promise<DestinationStream | undefined> {
  if (!out.isTTY) return undefined;
  const { default: pretty } = await import('pino-pretty');
  return pretty({
    colorize: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
    singleLine: true,
    destination: out,
  });
}
