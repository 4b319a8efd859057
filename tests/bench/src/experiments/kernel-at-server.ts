// Experiment: a kernel loaded from another checkout (KERNEL_ENTRY = path of its src/index.ts).
import { failAsChild, serveAsChild } from '../support/child.js';

try {
  const k = await import(process.env.KERNEL_ENTRY!);
  const kernel = await k.startKernel(k.loadConfig(process.env));
  serveAsChild(kernel.url, () => kernel.stop());
} catch (err) {
  failAsChild(err);
}
