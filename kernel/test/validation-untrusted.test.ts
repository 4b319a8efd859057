// Schemas of sandboxed plugins are compiled by the host with RE2 semantics for `pattern`
// (re2js): each pattern is its own, a catastrophic one matches in linear time, and what RE2
// cannot do (lookarounds) fails to compile instead of running with backtracking.
import { describe, expect, it } from 'vitest';
import { compileValidator } from '../src/validation/index.js';

const untrusted = (schema: object, coerce = false) =>
  compileValidator(schema, 'body', coerce, () => new Error('invalid schema'), true);

describe('untrusted schema validation', () => {
  it('keeps every pattern its own', () => {
    const code = untrusted({
      type: 'object',
      properties: { c: { type: 'string', pattern: '^\\S(.*\\S)?$' } },
    });
    const qty = untrusted(
      { type: 'object', properties: { q: { type: 'string', pattern: '^[1-9][0-9]*$' } } },
      true,
    );
    expect(code({ c: '-1' })).toBeNull();
    expect(qty({ q: '-1' })).toEqual([{ field: '/body/q', message: 'must match pattern "^[1-9][0-9]*$"' }]);
    expect(qty({ q: '12' })).toBeNull();
  });

  it('answers a catastrophic pattern on hostile input', () => {
    const v = untrusted({ type: 'string', pattern: '^(a+)+$' });
    expect(v(`${'a'.repeat(20_000)}!`)).toHaveLength(1);
    expect(v('aaaa')).toBeNull();
  });

  it('refuses what RE2 cannot run', () => {
    expect(() => untrusted({ type: 'string', pattern: '^(?=a)a$' })).toThrow('invalid schema');
  });
});
