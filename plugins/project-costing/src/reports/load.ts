// A project's plan as the engines take it: the activities with their progress, and the actuals.
import type { ActualCost, Plan } from '../engine/index.js';
import { projectActivities, requireProject } from '../projects/index.js';
import type { Ctx } from '../shared/index.js';

export async function loadPlan(ctx: Ctx, id: string) {
  const project = await requireProject(ctx, id);
  const activities = await projectActivities(ctx, id);
  const actuals = (await ctx.db.query(
    `select activity_id as "activityId", incurred_on::text as on, amount::text as amount from actuals where project_id = $1`,
    [id],
  )) as unknown as ActualCost[];
  const plan: Plan = { activities, actuals };
  return { project, activities, plan };
}
