// Which runtime the kit asks the kernel for: the option, else ERP_TEST_RUNTIME, else the manifest's
// trust; a third-party plugin is never run in-process.
import { afterEach, describe, expect, it } from 'vitest';
import { resolveRuntime } from '../src/index.js';

describe('resolveRuntime', () => {
  const saved = process.env.ERP_TEST_RUNTIME;
  afterEach(() => {
    if (saved === undefined) delete process.env.ERP_TEST_RUNTIME;
    else process.env.ERP_TEST_RUNTIME = saved;
  });

  it('follows the trust by default', () => {
    delete process.env.ERP_TEST_RUNTIME;
    expect(resolveRuntime(undefined, 'first-party')).toEqual({ runtime: 'in-process', setting: 'by-trust' });
    expect(resolveRuntime(undefined, 'third-party')).toEqual({ runtime: 'sandbox', setting: 'sandbox' });
  });

  it('takes ERP_TEST_RUNTIME, and the option over it', () => {
    process.env.ERP_TEST_RUNTIME = 'sandbox';
    expect(resolveRuntime(undefined, 'first-party')).toEqual({ runtime: 'sandbox', setting: 'sandbox' });
    expect(resolveRuntime('in-process', 'first-party')).toEqual({
      runtime: 'in-process',
      setting: 'by-trust',
    });
  });

  it('refuses in-process for a third-party plugin and a bad ERP_TEST_RUNTIME', () => {
    delete process.env.ERP_TEST_RUNTIME;
    expect(() => resolveRuntime('in-process', 'third-party')).toThrow(/third-party/);
    process.env.ERP_TEST_RUNTIME = 'docker';
    expect(() => resolveRuntime(undefined, 'first-party')).toThrow(/ERP_TEST_RUNTIME/);
  });
});
