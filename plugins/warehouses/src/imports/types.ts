// The rows the importer sends (integrations.import.batch) and what applying them answers.
import type { ImportAppliedPayload } from '@erp/sdk';

export interface BatchRow<T> {
  row: number;
  data: T;
}

export type Applied = Pick<ImportAppliedPayload, 'applied' | 'failed'>;
