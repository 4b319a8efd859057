// The kernel's own version (from package.json): what plugins' engines.erp ranges are checked against.
import { createRequire } from 'node:module';

export const KERNEL_VERSION: string = createRequire(import.meta.url)('../package.json').version;
