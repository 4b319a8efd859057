export {
  type Anomaly,
  type AnomalyOptions,
  detectAnomalies,
  type FeatureScore,
  type Feedback,
  type ObservedRecord,
} from './anomalies.js';
export {
  type Classification,
  classify,
  type LabelledText,
  type NaiveBayesModel,
  tokenize,
  trainNaiveBayes,
} from './classifier.js';
export {
  type DuplicatePair,
  findDuplicateRecords,
  findDuplicateTransactions,
  type MasterRecord,
  type TransactionRecord,
} from './duplicates.js';
export { nameSimilarity, normaliseCode, normaliseName, trigramDice } from './similarity.js';
