// The `erp` command's entry. --help and --version are answered here, before any of the kernel is
// loaded; every other command line goes to commands.ts.

import { KERNEL_VERSION } from '../version.js';
import { helpFor, UsageError, usageRequest } from './usage.js';

const argv = process.argv.slice(2);
// `erp`, `erp help [command]` and `--help` anywhere ask for help.
const asked = argv.length === 0 || argv[0] === 'help' ? 'help' : usageRequest(argv);
if (asked === 'version') console.log(KERNEL_VERSION);
else if (asked === 'help') {
  try {
    const topic = argv[0] === 'help' ? argv.slice(1) : argv;
    console.log(helpFor(topic.filter((a) => a !== '--help' && a !== '-h')));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`erp: ${err.message}`);
    process.exit(2);
  }
} else {
  const { runCommand } = await import('./commands.js');
  await runCommand(argv);
}
