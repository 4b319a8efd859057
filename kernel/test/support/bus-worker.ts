// A kernel process for the multi-instance and fault suites: starts a kernel from the environment,
// installs the test plugin (bus-fixtures.ts) and answers its parent over IPC. With ERP_TEST_LISTEN=1 it
// also serves HTTP (`url` answers where).
import { loadConfig } from '../../src/config/index.js';
import { startKernel } from '../../src/kernel.js';
import { type FixtureOptions, installTestPlugin, publishMany } from './bus-fixtures.js';

const fixture = JSON.parse(process.env.ERP_FIXTURE ?? '{}') as FixtureOptions;
const started = (async () => {
  const kernel = await startKernel(loadConfig(process.env), { listen: process.env.ERP_TEST_LISTEN === '1' });
  const { events, jobs, tenantTx } = kernel.container.cradle;
  await installTestPlugin({ events, jobs }, fixture);
  return { kernel, events, jobs, tenantTx };
})();

type Message = { id: number; cmd: string; tenantId?: string; count?: number; refs?: string[] };

process.on('message', async (m: Message) => {
  try {
    const k = await started;
    let ok: unknown = true;
    if (m.cmd === 'publish') ok = await publishMany(k, m.tenantId!, m.count!);
    else if (m.cmd === 'url') ok = k.kernel.url;
    else if (m.cmd === 'enqueue') {
      ok = await k.tenantTx.run(m.tenantId!, async (sql) => {
        const ids: string[] = [];
        for (const ref of m.refs!) ids.push((await k.jobs.enqueue(sql, 'test.work', { ref })).id);
        return ids;
      });
    } else if (m.cmd === 'stop') {
      await k.kernel.stop();
      process.send!({ id: m.id, ok: true }, () => process.exit(0));
      return;
    }
    process.send!({ id: m.id, ok });
  } catch (err) {
    process.send!({ id: m.id, error: String((err as Error)?.stack ?? err) });
  }
});
