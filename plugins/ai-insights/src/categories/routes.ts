// Categorization over HTTP: labelled lines in, a classifier per domain trained on them (versioned,
// with its held-out accuracy), and answers with a confidence — or, below the threshold, no answer
// and the likeliest categories for a person to choose from.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { classify } from '../engine/index.js';
import { refuse } from '../shared/index.js';
import { latestClassifier, storeAnswers } from './store.js';
import { trainClassifier } from './train.js';

const Domain = {
  type: 'string',
  pattern: '^[a-z][a-z0-9-]{0,39}$',
  description: "What is categorized, e.g. 'expense'",
} as const;

const Examples = schema({
  type: 'object',
  additionalProperties: false,
  required: ['domain', 'examples'],
  properties: {
    domain: Domain,
    examples: {
      type: 'array',
      minItems: 1,
      maxItems: 5000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['text', 'label'],
        properties: {
          text: { type: 'string', minLength: 1, maxLength: 500 },
          label: { type: 'string', minLength: 1, maxLength: 100 },
        },
      },
    },
  },
} as const);

const Train = schema({
  type: 'object',
  additionalProperties: false,
  required: ['domain'],
  properties: { domain: Domain },
} as const);

const Classify = schema({
  type: 'object',
  additionalProperties: false,
  required: ['domain', 'texts'],
  properties: {
    domain: Domain,
    texts: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: { type: 'string', minLength: 1, maxLength: 500 },
    },
    threshold: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.7 },
  },
} as const);

export const categoryRoutes: Record<string, PluginRoute> = {
  'POST /categories/examples': route({
    permission: 'insights.models.write',
    summary: 'Add labelled lines to a domain’s training set',
    body: Examples,
    status: 201,
    async handler(ctx, { body }) {
      await ctx.db.query(
        `insert into examples (domain, text, label) select $1, e.text, e.label
           from jsonb_to_recordset($2::jsonb) as e(text text, label text)`,
        [body.domain, JSON.stringify(body.examples)],
      );
      return { domain: body.domain, added: body.examples.length };
    },
  }),
  'POST /categories/train': route({
    permission: 'insights.models.write',
    summary: 'Train the next version of a domain’s classifier on the tenant’s labelled lines',
    body: Train,
    status: 201,
    async handler(ctx, { body }) {
      const c = await trainClassifier(ctx, body.domain, 'request');
      await ctx.audit.record({
        action: 'insights.classifier.trained',
        resource: 'classifier',
        resourceId: c!.id,
        data: c!.metrics,
      });
      return c;
    },
  }),
  'POST /categories/classify': route({
    permission: 'insights.forecasts.read',
    summary: 'Categorize lines with the domain’s latest classifier; below the threshold it asks',
    body: Classify,
    async handler(ctx, { body }) {
      const c = await latestClassifier(ctx, body.domain);
      if (!c)
        refuse(
          422,
          'INSIGHTS_NO_CLASSIFIER',
          'No classifier for this domain',
          '/body/domain',
          'train one first (POST /categories/train)',
        );
      const threshold = body.threshold ?? 0.7;
      const results = body.texts.map((text) => {
        const r = classify(c.model, text, threshold);
        return {
          text,
          category: r.label,
          needsReview: r.label === null,
          confidence: r.confidence,
          ranked: r.ranked,
          because: r.because,
        };
      });
      await storeAnswers(
        ctx,
        c,
        body.domain,
        results.map((r) => ({ text: r.text, label: r.category, confidence: r.confidence })),
      );
      return { domain: body.domain, classifierVersion: c.version, threshold, results };
    },
  }),
};
