// Child process: the real kernel (startKernel) configured from the environment the bench passes.
import { loadConfig, startKernel } from '@erp/kernel';
import { failAsChild, serveAsChild } from '../support/child.js';

try {
  const kernel = await startKernel(loadConfig(process.env));
  serveAsChild(kernel.url, () => kernel.stop());
} catch (err) {
  failAsChild(err);
}
