// The bridge's message schemas (issue 19), checked the way both sides check them: what a frame may
// send the shell and what the shell sends the frame, and the shapes a malicious frame would try.
import { describe, expect, it } from 'vitest';
import { BRIDGE, claimsBridge, isFrameMessage, isShellMessage } from '../src/bridge/protocol.js';

const m = (o: object) => ({ bridge: BRIDGE, ...o });

describe('the bridge protocol', () => {
  it('accepts what the frame runtime sends', () => {
    for (const ok of [
      m({ type: 'ready' }),
      m({ type: 'rendered' }),
      m({ type: 'api', id: 1, method: 'GET', path: '/api/v1/p/notes/items?limit=5' }),
      m({
        type: 'api',
        id: 2,
        method: 'POST',
        path: '/api/v1/p/notes/items',
        body: '{"name":"x"}',
        contentType: 'application/json',
      }),
      m({ type: 'navigate', path: '/notes' }),
      m({ type: 'navigate', path: '/' }),
      m({ type: 'notify', message: 'Saved', kind: 'success' }),
      m({ type: 'resize', height: 420 }),
      m({ type: 'error', message: 'boom' }),
      m({ type: 'pong', id: 3 }),
    ])
      expect(isFrameMessage(ok), JSON.stringify(ok)).toBe(true);
  });

  it('refuses what a malicious frame might try', () => {
    for (const bad of [
      { type: 'ready' }, // no marker
      m({ type: 'init', tenant: { id: 't', name: 't' } }), // a shell message from the frame
      m({ type: 'api', id: 1, method: 'GET', path: 'https://evil.example/' }), // off the kernel
      m({ type: 'api', id: 1, method: 'GET', path: '//evil.example/api/v1/' }),
      m({ type: 'api', id: 1, method: 'GET', path: '/admin/users' }), // not the API
      m({ type: 'api', id: 1, method: 'GET', path: '/api/v1/p/x\\..\\iam' }), // backslashes
      m({ type: 'api', id: 1, method: 'TRACE', path: '/api/v1/p/x' }),
      m({ type: 'api', id: 1, method: 'GET', path: '/api/v1/p/x', token: 'erpui_x' }), // extra field
      m({ type: 'api', id: 1, method: 'GET', path: '/api/v1/p/x', headers: { authorization: 'x' } }),
      m({ type: 'api', id: -1, method: 'GET', path: '/api/v1/p/x' }),
      m({ type: 'navigate', path: '//evil.example' }), // protocol-relative: another origin
      m({ type: 'navigate', path: 'javascript:alert(1)' }),
      m({ type: 'navigate', path: '/a?b' }),
      m({ type: 'notify', message: 'x'.repeat(501), kind: 'info' }),
      m({ type: 'notify', message: 'hi', kind: 'shell' }),
      m({ type: 'resize', height: 1e9 }),
    ])
      expect(isFrameMessage(bad), JSON.stringify(bad).slice(0, 120)).toBe(false);
    expect(claimsBridge(m({ type: 'nonsense' }))).toBe(true);
    expect(claimsBridge({ type: 'ready' })).toBe(false);
  });

  it('accepts what the shell sends, and nothing the frame could be fooled by', () => {
    const theme = { scheme: 'dark', tokens: { '--erp-bg': '#000' } };
    expect(
      isShellMessage(
        m({
          type: 'init',
          tenant: { id: 't', name: 'T' },
          user: { id: 'u', email: 'e' },
          permissions: ['a.b.c'],
          theme,
        }),
      ),
    ).toBe(true);
    expect(isShellMessage(m({ type: 'api-result', id: 1, status: 204, contentType: null, body: null }))).toBe(
      true,
    );
    expect(isShellMessage(m({ type: 'ping', id: 1 }))).toBe(true);
    expect(isShellMessage(m({ type: 'theme', theme: { scheme: 'dark', tokens: { color: 'red' } } }))).toBe(
      false,
    );
    expect(isShellMessage(m({ type: 'api-result', id: 1, status: 99, contentType: null, body: null }))).toBe(
      false,
    );
    expect(isShellMessage(m({ type: 'pong', id: 1 }))).toBe(false);
  });
});
