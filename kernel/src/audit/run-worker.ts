// A worker thread of the parallel verifier: parses a run of entry lines and checks it (checkRun),
// then posts the result back. Pure work on what it is sent; it reads nothing else.
import { parentPort } from 'node:worker_threads';
import { checkLines, type RunJob, runResultMessage, sealedError } from './run-job.js';

parentPort!.on('message', (job: RunJob) => {
  try {
    parentPort!.postMessage({ id: job.id, result: runResultMessage(checkLines(job)) });
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: sealedError(err) });
  }
});
