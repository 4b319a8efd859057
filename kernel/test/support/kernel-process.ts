// A kernel in a process of its own, listening on a port, started the way `erp start` runs it
// (node --import tsx): plugin code it loads goes through Node's real module loader, with the
// kernel's @erp/sdk resolve hook chained before tsx's. Answers its parent over IPC with its URL
// and with what it serves (subscriptions and jobs), which only the process itself can tell.
import { loadConfig } from '../../src/config/index.js';
import { startKernel } from '../../src/kernel.js';

const started = startKernel(loadConfig(process.env), { listen: true });

type Message = { id: number; cmd: 'ready' | 'served' | 'stop'; plugin?: string };

process.on('message', async (m: Message) => {
  try {
    const k = await started;
    if (m.cmd === 'stop') {
      await k.stop();
      process.send!({ id: m.id, ok: true }, () => process.exit(0));
      return;
    }
    let ok: unknown = { url: k.url };
    if (m.cmd === 'served') {
      const { events, jobs } = k.container.cradle;
      ok = {
        subscriptions: events
          .listSubscriptions()
          .filter((s) => s.plugin === m.plugin)
          .map((s) => s.name),
        jobs: jobs.definitions.keys().filter((key) => key.startsWith(`${m.plugin}.`)),
      };
    }
    process.send!({ id: m.id, ok });
  } catch (err) {
    process.send!({ id: m.id, error: String((err as Error)?.stack ?? err) });
  }
});
