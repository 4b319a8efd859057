// A domain's classifiers and the answers they gave, as stored (shared by the classify route and
// the expense suggestions, so every answer is kept with the version that gave it the same way).
import type { NaiveBayesModel } from '../engine/index.js';
import type { Ctx } from '../shared/index.js';

export interface StoredClassifier {
  id: string;
  version: number;
  model: NaiveBayesModel;
  metrics: { examples: number; labels: number; heldOut: number; accuracy: number | null };
}

export const latestClassifier = (ctx: Ctx, domain: string) =>
  ctx.db.one<StoredClassifier>(
    'select id, version, model, metrics from classifiers where domain = $1 order by version desc limit 1',
    [domain],
  );

export async function storeAnswers(
  ctx: Ctx,
  c: StoredClassifier,
  domain: string,
  answers: { text: string; label: string | null; confidence: number }[],
) {
  await ctx.db.query(
    `insert into classifications (classifier_id, classifier_version, domain, text, label, confidence)
     select $1, $2, $3, r.text, r.label, r.confidence
       from jsonb_to_recordset($4::jsonb) as r(text text, label text, confidence numeric)`,
    [c.id, c.version, domain, JSON.stringify(answers)],
  );
}
