// Category suggestions for records another plugin keeps (expenses, items), shared by their routes:
// the domain's classifier trained on the tenant's whole labelled history (a new version first when
// lines were labelled since the latest), an answer per record with its confidence, ranking and the
// words that weighed — or, below the threshold, no category and needsReview — each stored with the
// classifier version. Accepting is the user's own call to the owning plugin (`apply`); dismissing
// hides the suggestion here and changes nothing there.
import { notFound, type PluginRoute, route } from '@erp/sdk';
import { classify } from '../engine/index.js';
import { type Ctx, IdParams } from '../shared/index.js';
import { labelledLines } from './labelled.js';
import { latestClassifier, storeAnswers } from './store.js';
import { trainClassifier } from './train.js';

/** The owning plugin's call that sets the category, made by the accepting user. */
export interface Apply {
  method: 'PUT' | 'PATCH';
  path: string;
  permission: string;
  body: { category: string };
}

/** The latest version while no line has been labelled since it was trained, else a new one. */
async function currentClassifier(ctx: Ctx, domain: string) {
  const c = await latestClassifier(ctx, domain);
  const { n } = (await ctx.db.one<{ n: number }>(
    `select count(*)::int as n from (${labelledLines(domain)}) e`,
    [domain],
  ))!;
  if (c && c.metrics.examples === n) return c;
  await trainClassifier(ctx, domain, 'request', '/query');
  return (await latestClassifier(ctx, domain))!;
}

/**
 * Suggestions for `records` (text null: nothing to read, so it asks with no ranking); 422
 * INSIGHTS_TOO_FEW_EXAMPLES at /query while the domain has under 10 labelled lines.
 */
export async function suggestCategories<R>(
  ctx: Ctx,
  domain: string,
  records: R[],
  threshold: number,
  textOf: (r: R) => string | null,
  apply: (r: R, category: string) => Apply,
) {
  const c = await currentClassifier(ctx, domain);
  const answers: { text: string; label: string | null; confidence: number }[] = [];
  const suggestions = records.map((rec) => {
    const text = textOf(rec);
    const r = text ? classify(c.model, text, threshold) : null;
    const category = r?.label ?? null;
    if (text) answers.push({ text, label: category, confidence: r!.confidence });
    return {
      ...rec,
      category,
      needsReview: category === null,
      confidence: r?.confidence ?? 0,
      ranked: r?.ranked ?? [],
      because: r?.because ?? [],
      apply: category ? apply(rec, category) : null,
    };
  });
  await storeAnswers(ctx, c, domain, answers);
  return { classifier: { version: c.version, metrics: c.metrics }, threshold, suggestions };
}

/** Where a domain's records are kept and how a dismissal is recorded (constant SQL, never input). */
export interface DismissTarget {
  resource: 'expense' | 'item';
  table: string;
  idColumn: string;
  /** Records the dismissal of record $1 by user $2 (once: a second dismissal changes nothing). */
  dismiss: string;
  notFoundCode: string;
  label: string;
}

/** POST /…/:id/dismiss: hides the record's suggestion; 404 for an id the tenant does not have. */
export function dismissRoute(t: DismissTarget): PluginRoute {
  return route({
    permission: 'insights.suggestions.write',
    summary: `Hide the category suggestion for this ${t.resource} (the ${t.resource} itself is not changed)`,
    params: IdParams,
    async handler(ctx, { params }) {
      const known = await ctx.db.one(`select 1 from ${t.table} where ${t.idColumn} = $1`, [params.id]);
      if (!known) throw notFound(t.notFoundCode, t.label);
      await ctx.db.query(t.dismiss, [params.id, ctx.user.id]);
      await ctx.audit.record({
        action: `insights.${t.resource}-suggestion.dismissed`,
        resource: t.resource,
        resourceId: params.id,
      });
      return { [`${t.resource}Id`]: params.id, dismissed: true };
    },
  });
}
