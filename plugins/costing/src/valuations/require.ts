// What a route asks of a costing run: its own steps are all costed, and nothing costed before is
// undone by them (a back-dated document that would leave a later move uncostable). Otherwise the
// route refuses with the engine's code and the field it is about, and its unit of work, with every
// step it inserted, rolls back: bad input changes nothing.
import { PluginProblem } from '@erp/sdk';
import { CostingError } from '../engine/index.js';
import { costingProblem } from '../shared/index.js';
import type { CostingRun } from './pipeline.js';
import type { StepRow } from './types.js';

/** Maps the engine's field for one of the route's own steps to the request's JSON pointer. */
export type Pointer = (step: StepRow, field: string) => string;

export function requireCosted(run: CostingRun, pointer: Pointer, dateField = '/body/date'): void {
  for (const out of run.outcomes) {
    const b = out.blocker;
    if (!b) continue;
    const own = run.inserted.has(b.step.id);
    if (own && b.error instanceof CostingError) throw costingProblem(b.error, (f) => pointer(b.step, f));
    if (own || out.unapplied.length) {
      const why = `${b.step.kind} ${b.step.id} of ${b.step.at} in warehouse ${b.step.warehouseId} could not be costed: ${b.error.message}`;
      if (!own && b.error instanceof CostingError) {
        throw costingProblem(b.error, () => dateField, `after this change, ${why}`);
      }
      throw new PluginProblem(409, 'COSTING_VALUATION_BLOCKED', 'Earlier moves wait to be costed', why, [
        { field: dateField, message: why },
      ]);
    }
  }
  for (const id of run.inserted) {
    if (!run.outcomes.some((o) => o.applied.has(id))) {
      const waiting = run.outcomes.find((o) => o.blocker)?.blocker;
      const why = waiting
        ? `${waiting.step.kind} ${waiting.step.id} waits to be costed: ${waiting.error.message}`
        : 'the valuation has moves waiting to be costed';
      throw new PluginProblem(409, 'COSTING_VALUATION_BLOCKED', 'Earlier moves wait to be costed', why, [
        { field: dateField, message: why },
      ]);
    }
  }
}
