// The pure parts of @erp/sdk/ui: a problem+json body read into an ApiProblem (messages per field,
// the ones no field shows), and schema messages put into words. The elements that use them run
// against a real kernel in Chromium (tests/elements).
import { describe, expect, it } from 'vitest';
import { ApiProblem, ERP_UI_CONTEXT, fieldErrorText } from '../src/ui/index.js';

const problem = (status: number, body: unknown, type = 'application/problem+json') =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': type },
  });

describe('@erp/sdk/ui', () => {
  it('keeps the contract key', () => {
    expect(ERP_UI_CONTEXT).toBe('erp-ui-context');
  });

  it('reads a problem+json refusal into words and per-field messages', async () => {
    const p = await ApiProblem.from(
      problem(400, {
        type: 'urn:erp:problem:ERP_VALIDATION',
        title: 'Request does not match the schema',
        status: 400,
        code: 'ERP_VALIDATION',
        detail: '/body/lines/0/qty must match pattern',
        errors: [
          { field: '/body/lines/0/qty', message: 'must match pattern "^[0-9]+$"' },
          { field: '/body/lines/0/serials/1', message: 'is a duplicate' },
          { field: '/body/note', message: 'is not a known field' },
        ],
      }),
    );
    expect(p).toMatchObject({
      status: 400,
      code: 'ERP_VALIDATION',
      title: 'Request does not match the schema',
    });
    expect(p.message).toBe('Request does not match the schema: /body/lines/0/qty must match pattern');
    expect(p.fieldMessage('/body/lines/0/qty')).toBe('must match pattern "^[0-9]+$"');
    expect(p.fieldMessage('/body/lines/0/serials')).toBe('is a duplicate');
    expect(p.fieldMessage('/body/lines/0')).toBe('must match pattern "^[0-9]+$"');
    expect(p.fieldMessage('/body/lines/0/q')).toBeUndefined();
    expect(p.unclaimed(['/body/lines/0/qty', '/body/lines/0/serials'])).toEqual([
      { field: '/body/note', message: 'is not a known field' },
    ]);
  });

  it('says what it can when the answer is not a problem', async () => {
    const p = await ApiProblem.from(
      new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    expect(p).toMatchObject({ status: 502, code: 'HTTP_502', title: 'Bad Gateway', errors: [] });
  });

  it('puts schema messages into words with the field', () => {
    expect(fieldErrorText('Quantity', 'must match pattern "^[0-9]+$"', 'a number greater than zero')).toBe(
      'Quantity must be a number greater than zero',
    );
    expect(fieldErrorText('Quantity', 'must match pattern "^[0-9]+$"')).toBe(
      'Quantity is not in the expected format',
    );
    expect(fieldErrorText('Item', 'is required')).toBe('Item is required');
    expect(fieldErrorText('Reason', 'must NOT have fewer than 3 characters')).toBe(
      'Reason must have at least 3 characters',
    );
    expect(fieldErrorText('Name', 'must NOT have fewer than 1 characters')).toBe('Name is required');
    expect(fieldErrorText('name', "must have required property 'name'")).toBe('name is required');
    expect(fieldErrorText('Name', 'must NOT have more than 80 characters')).toBe(
      'Name must have at most 80 characters',
    );
    expect(fieldErrorText('Quantity', 'not enough stock: 2 on hand')).toBe('not enough stock: 2 on hand');
  });
});
