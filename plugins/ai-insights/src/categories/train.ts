// Training a domain's classifier on the tenant's labelled lines: accuracy is measured on every
// fifth example held out (trained on the rest), then the stored model is trained on all of them.
// Besides the posted lines, 'expense' and 'item' learn from the tenant's categorised expenses and
// items (from project-costing's and warehouses' events: see labelled.ts).
import { classify, type NaiveBayesModel, trainNaiveBayes } from '../engine/index.js';
import { type Ctx, refuse } from '../shared/index.js';
import { labelledLines } from './labelled.js';

export const MIN_EXAMPLES = 10;

export async function trainClassifier(
  ctx: Ctx,
  domain: string,
  trainedBy: 'request' | 'schedule',
  field = '/body/domain',
) {
  const examples = await ctx.db.query<{ text: string; label: string }>(
    `select text, label from (${labelledLines(domain)}) e order by at, k`,
    [domain],
  );
  if (examples.length < MIN_EXAMPLES) {
    refuse(
      422,
      'INSIGHTS_TOO_FEW_EXAMPLES',
      'Too few labelled examples',
      field,
      `${examples.length} labelled lines; training needs at least ${MIN_EXAMPLES}`,
    );
  }
  const held = examples.filter((_, i) => i % 5 === 4);
  const fit = trainNaiveBayes(examples.filter((_, i) => i % 5 !== 4));
  const right = held.filter((e) => classify(fit, e.text).ranked[0]?.label === e.label).length;
  const model: NaiveBayesModel = trainNaiveBayes(examples);
  const metrics = {
    examples: examples.length,
    labels: model.labels.length,
    heldOut: held.length,
    accuracy: held.length ? right / held.length : null,
  };
  return ctx.db.one<{
    id: string;
    version: number;
    domain: string;
    metrics: typeof metrics;
    trainedBy: string;
  }>(
    `insert into classifiers (domain, version, model, metrics, trained_by)
     values ($1, (select coalesce(max(version), 0) + 1 from classifiers where domain = $1), $2, $3, $4)
     returning id, version, domain, metrics, trained_by as "trainedBy"`,
    [domain, JSON.stringify(model), JSON.stringify(metrics), trainedBy],
  );
}
