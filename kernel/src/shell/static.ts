// Serves the built web shell (@erp/ui-shell's dist/) at `/`: the files are read and gzipped once at
// start (the whole shell is a few hundred kilobytes), so a request costs a map lookup. Hashed
// files under /assets/ are immutable and cached for a year; index.html is revalidated on every
// load (ETag) so a new kernel's shell is picked up at once. Any other GET for a page (Accept:
// text/html) outside the API answers index.html, so the shell's own routes survive a reload.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound, sendProblem } from '../http/index.js';
import { SHELL_CSP } from './csp.js';

interface ShellFile {
  body: Buffer;
  gzip: Buffer | null;
  type: string;
  etag: string;
  immutable: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Paths that are never the shell's (their own 404 is a problem+json). */
const NOT_SHELL = /^\/(api|plugins|docs|openapi\.json|assets)(\/|$)/;

export class ShellFiles {
  private readonly files = new Map<string, ShellFile>();

  constructor(readonly dir: string) {
    if (!existsSync(join(dir, 'index.html'))) return;
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const full = join(d, name);
        if (statSync(full).isDirectory()) walk(full);
        else this.add(`/${relative(dir, full).split(sep).join('/')}`, readFileSync(full));
      }
    };
    walk(dir);
  }

  private add(path: string, body: Buffer): void {
    const type = TYPES[extname(path)] ?? 'application/octet-stream';
    const compressible = /text|javascript|json|svg/.test(type) && body.length > 1024;
    this.files.set(path, {
      body,
      gzip: compressible ? gzipSync(body, { level: 9 }) : null,
      type,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      immutable: path.startsWith('/assets/'),
    });
  }

  get built(): boolean {
    return this.files.has('/index.html');
  }

  /** The text of a built file (the plugin frame's template, `frame.html`), or null. */
  text(path: string): string | null {
    return this.files.get(path)?.body.toString('utf8') ?? null;
  }

  /** Sends a file; false when there is no such file. */
  send(path: string, request: FastifyRequest, reply: FastifyReply): boolean {
    const file = this.files.get(path);
    if (!file) return false;
    reply
      .header('content-type', file.type)
      .header('etag', file.etag)
      .header('vary', 'accept-encoding')
      .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (file.immutable) {
      // The plugin frame (an opaque origin, issue 19) loads its runtime from here: module scripts
      // are CORS requests from Origin: null. Public, hashed code; never a credential.
      reply.header('access-control-allow-origin', '*').header('cross-origin-resource-policy', 'cross-origin');
    }
    if (file.type.startsWith('text/html')) {
      reply.header('content-security-policy', SHELL_CSP).header('x-frame-options', 'DENY');
    }
    if (request.headers['if-none-match'] === file.etag) {
      reply.code(304).send();
      return true;
    }
    const gzip = file.gzip && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    if (gzip) reply.header('content-encoding', 'gzip');
    reply.code(200).send(gzip ? file.gzip : file.body);
    return true;
  }

  /** The not-found fallback: a page request for a shell route gets index.html. */
  fallback(request: FastifyRequest, reply: FastifyReply): boolean {
    if (!this.built || (request.method !== 'GET' && request.method !== 'HEAD')) return false;
    const path = request.url.split('?')[0] ?? '/';
    if (NOT_SHELL.test(path) || !String(request.headers.accept ?? '').includes('text/html')) return false;
    return this.send('/index.html', request, reply);
  }
}

/** `/` and `/assets/*`, mounted on fastify directly: they send the reply themselves. */
export function mountShellFiles(app: FastifyInstance, files: ShellFiles): void {
  const config = { access: 'public' as const };
  app.get('/', { config, schema: { summary: 'The web shell', tags: ['shell'] } }, (request, reply) => {
    if (!files.send('/index.html', request, reply))
      sendProblem(notFound('Web shell (not built: run pnpm --filter @erp/ui-shell build)'), request, reply);
  });
  app.get(
    '/assets/*',
    { config, schema: { summary: 'The web shell\u2019s hashed (immutable) files', tags: ['shell'] } },
    (request, reply) => {
      const rest = (request.params as { '*': string })['*'];
      if (!files.send(`/assets/${rest}`, request, reply))
        sendProblem(notFound('Shell asset'), request, reply);
    },
  );
}
