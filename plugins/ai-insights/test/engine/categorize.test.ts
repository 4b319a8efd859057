// Categorization on a labelled synthetic set of expense lines: trained on one part, scored on a
// held-out part. Accuracy overall, accuracy of the answers it gives, and the share it asks about
// are printed.
import { describe, expect, it } from 'vitest';
import { classify, type LabelledText, trainNaiveBayes } from '../../src/engine/index.js';
import { rng } from '../support/synthetic.js';

const CATEGORIES: Record<string, string[]> = {
  travel: ['flight', 'airline', 'hotel', 'taxi', 'train', 'ticket', 'booking', 'airport', 'rail', 'uber'],
  meals: ['lunch', 'dinner', 'restaurant', 'catering', 'coffee', 'breakfast', 'pizza', 'cafe', 'sandwiches'],
  software: [
    'licence',
    'subscription',
    'saas',
    'cloud',
    'hosting',
    'domain',
    'software',
    'seats',
    'annual plan',
  ],
  office: ['paper', 'toner', 'printer', 'pens', 'stationery', 'desk', 'chair', 'folders', 'staples'],
  utilities: ['electricity', 'gas', 'water', 'internet', 'broadband', 'phone', 'mobile', 'energy'],
  fuel: ['diesel', 'petrol', 'fuel', 'gasoline', 'filling station', 'litres'],
  maintenance: ['repair', 'service', 'spare parts', 'plumber', 'cleaning', 'maintenance', 'inspection'],
};
const NOISE = [
  'invoice',
  'ref',
  'order',
  'monthly',
  'q3',
  'team',
  'berlin',
  'london',
  'misc',
  'payment',
  'acme',
  'ltd',
  'services',
];

function dataset(seed: number, n: number): LabelledText[] {
  const u = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(u() * xs.length)]!;
  const labels = Object.keys(CATEGORIES);
  return Array.from({ length: n }, () => {
    const label = pick(labels);
    const words = [pick(CATEGORIES[label]!)];
    if (u() < 0.6) words.push(pick(CATEGORIES[label]!));
    // Sometimes a word of another category (a hotel's restaurant, a fuel station's coffee).
    if (u() < 0.25) words.push(pick(CATEGORIES[pick(labels)]!));
    for (let i = 0; i < 1 + Math.floor(u() * 3); i++) words.push(pick(NOISE));
    words.push(String(Math.floor(u() * 10000)));
    return { label, text: words.sort(() => u() - 0.5).join(' ') };
  });
}

describe('categorization (multinomial naive Bayes)', () => {
  it('learns categories from labelled lines; below the threshold it asks instead of guessing', () => {
    const model = trainNaiveBayes(dataset(1, 700));
    const test = dataset(2, 400);
    let right = 0;
    let answered = 0;
    let answeredRight = 0;
    for (const e of test) {
      const c = classify(model, e.text, 0.8);
      if (c.ranked[0]!.label === e.label) right++;
      if (c.label !== null) {
        answered++;
        if (c.label === e.label) answeredRight++;
      }
    }
    const accuracy = right / test.length;
    const answeredAccuracy = answeredRight / answered;
    console.log(
      `categorization (7 categories, 700 training / 400 held-out lines): top-1 accuracy ${(100 * accuracy).toFixed(1)}%; at confidence ≥ 0.8 it answers ${((100 * answered) / test.length).toFixed(1)}% with ${(100 * answeredAccuracy).toFixed(1)}% accuracy and asks about the rest`,
    );
    expect(accuracy).toBeGreaterThan(0.85);
    expect(answeredAccuracy).toBeGreaterThan(accuracy);
    const unknown = classify(model, 'zzz qqq 1234', 0.8);
    expect(unknown.label).toBeNull();
    const sure = classify(model, 'hotel booking and taxi from airport', 0.8);
    expect(sure).toMatchObject({ label: 'travel' });
    expect(sure.because).toEqual(expect.arrayContaining(['hotel']));
  });
});
