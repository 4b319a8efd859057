// A worker thread of the parallel verifier: parses a run of entry lines and checks it (checkRun),
// then posts the result back. Pure work on what it is sent; it reads nothing else.
import { parentPort } from 'node:worker_threads';
import { checkRun } from './check-run.js';
import { parseEntryLines } from './entry-line.js';
import { type RunJob, runResultMessage, sealedError } from './run-job.js';

parentPort!.on('message', (job: RunJob) => {
  try {
    const text = typeof job.text === 'string' ? job.text : Buffer.from(job.text).toString('utf8');
    const entries = parseEntryLines(text, job.firstLine, job.source);
    parentPort!.postMessage({ id: job.id, result: runResultMessage(checkRun(entries, job.context)) });
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: sealedError(err) });
  }
});
