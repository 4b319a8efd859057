// `erp start` logs: human-readable lines on a terminal, JSON lines anywhere else.
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { prettyLogsForTerminal } from '../src/cli/logs.js';

function output(isTTY: boolean) {
  const out = Object.assign(new PassThrough(), { isTTY }) as unknown as NodeJS.WriteStream & PassThrough;
  let text = '';
  out.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { out, text: () => text };
}

describe('erp start logs', () => {
  it('are formatted for a person when stdout is a terminal', async () => {
    const { out, text } = output(true);
    const stream = await prettyLogsForTerminal(out);
    expect(stream).toBeDefined();
    pino({ level: 'info' }, stream).info({ tenant: 'acme' }, 'kernel listening');
    await new Promise((r) => setImmediate(r));
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes
    const plain = text().replace(/\x1b\[[0-9;]*m/g, '');
    expect(plain).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: kernel listening/);
    expect(plain).toContain('"tenant":"acme"'); // fields follow the message on the same line
    expect(plain).not.toContain('"level"');
  });

  it('stay JSON lines (pino to stdout) when stdout is not a terminal', async () => {
    const { out } = output(false);
    expect(await prettyLogsForTerminal(out)).toBeUndefined();
  });
});
