// The rows the importer sends (integrations.import.batch) and what applying them answers.
export interface BatchRow<T> {
  row: number;
  data: T;
}

export interface Applied {
  applied: { row: number; id: string }[];
  failed: { row: number; field: string; message: string }[];
}
