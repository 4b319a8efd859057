// Every refused step throws a CostingError before the valuation is touched, so a caller can map it
// to an RFC 9457 problem (`status`, `code`, and `field` as the JSON pointer under the request body)
// and know that nothing changed.

export const CostingErrorCode = {
  /** A decimal that is not a plain decimal string ("12.50"; numbers, exponents and "" are refused). */
  INVALID_DECIMAL: 'COSTING_INVALID_DECIMAL',
  /** A quantity that is zero or negative where only a positive quantity means something. */
  INVALID_QUANTITY: 'COSTING_INVALID_QUANTITY',
  /** A negative unit cost or standard price. */
  INVALID_UNIT_COST: 'COSTING_INVALID_UNIT_COST',
  /** A money amount that is zero, negative, or has more decimals than the currency's minor unit. */
  INVALID_AMOUNT: 'COSTING_INVALID_AMOUNT',
  INVALID_DATE: 'COSTING_INVALID_DATE',
  INVALID_ID: 'COSTING_INVALID_ID',
  INVALID_METHOD: 'COSTING_INVALID_METHOD',
  INVALID_SETTING: 'COSTING_INVALID_SETTING',
  /** Any other malformed input (missing field, both or neither of two alternatives …). */
  INVALID_INPUT: 'COSTING_INVALID_INPUT',
  /** An issue beyond the quantity on hand with negative stock off, or a vendor return beyond it. */
  INSUFFICIENT_STOCK: 'COSTING_INSUFFICIENT_STOCK',
  UNKNOWN_RECEIPT: 'COSTING_UNKNOWN_RECEIPT',
  UNKNOWN_ISSUE: 'COSTING_UNKNOWN_ISSUE',
  /** A vendor return or landed cost naming something that is not a receipt (an issue, a customer return). */
  NOT_A_RECEIPT: 'COSTING_NOT_A_RECEIPT',
  /** A customer return naming something that is not an issue. */
  NOT_AN_ISSUE: 'COSTING_NOT_AN_ISSUE',
  /** A caller-supplied original record that does not belong to the id named in the step. */
  RECORD_MISMATCH: 'COSTING_RECORD_MISMATCH',
  DUPLICATE_ID: 'COSTING_DUPLICATE_ID',
  /** Returning more than the original receipt or issue still has to return. */
  RETURN_EXCEEDS_ORIGINAL: 'COSTING_RETURN_EXCEEDS_ORIGINAL',
  /** A method change with stock on hand and no explicit revaluation. */
  REVALUATION_REQUIRED: 'COSTING_REVALUATION_REQUIRED',
  /** A method change while stock is negative (issues still waiting for their cost). */
  PENDING_NEGATIVE_STOCK: 'COSTING_PENDING_NEGATIVE_STOCK',
  /** A revaluation of FIFO, LIFO or average stock when nothing is on hand. */
  NO_STOCK_TO_REVALUE: 'COSTING_NO_STOCK_TO_REVALUE',
  /** A landed cost split whose basis (value, weight …) adds up to zero. */
  INVALID_ALLOCATION: 'COSTING_INVALID_ALLOCATION',
  /** A revaluation that would leave a layer or the stock with a negative value. */
  NEGATIVE_VALUE: 'COSTING_NEGATIVE_VALUE',
  /** A vendor bill for more units than the receipt has left to bill (or a fully billed receipt). */
  BILL_EXCEEDS_RECEIPT: 'COSTING_BILL_EXCEEDS_RECEIPT',
  /** A repack naming the same valuation twice, or none. */
  INVALID_REPACK: 'COSTING_INVALID_REPACK',
  /** Specific identification: a step that does not name its serial or batch, or a step it cannot take. */
  LOT_REQUIRED: 'COSTING_LOT_REQUIRED',
  /** A snapshot given to restoreValuation that is malformed or inconsistent. */
  INVALID_SNAPSHOT: 'COSTING_INVALID_SNAPSHOT',
} as const;

export type CostingErrorCode = (typeof CostingErrorCode)[keyof typeof CostingErrorCode];

/** The HTTP status a plugin route should answer with for each code. */
const STATUS: Record<CostingErrorCode, number> = {
  COSTING_INVALID_DECIMAL: 400,
  COSTING_INVALID_QUANTITY: 400,
  COSTING_INVALID_UNIT_COST: 400,
  COSTING_INVALID_AMOUNT: 400,
  COSTING_INVALID_DATE: 400,
  COSTING_INVALID_ID: 400,
  COSTING_INVALID_METHOD: 400,
  COSTING_INVALID_SETTING: 400,
  COSTING_INVALID_INPUT: 400,
  COSTING_INSUFFICIENT_STOCK: 422,
  COSTING_UNKNOWN_RECEIPT: 404,
  COSTING_UNKNOWN_ISSUE: 404,
  COSTING_NOT_A_RECEIPT: 422,
  COSTING_NOT_AN_ISSUE: 422,
  COSTING_RECORD_MISMATCH: 400,
  COSTING_DUPLICATE_ID: 409,
  COSTING_RETURN_EXCEEDS_ORIGINAL: 422,
  COSTING_REVALUATION_REQUIRED: 422,
  COSTING_PENDING_NEGATIVE_STOCK: 422,
  COSTING_NO_STOCK_TO_REVALUE: 422,
  COSTING_INVALID_ALLOCATION: 422,
  COSTING_NEGATIVE_VALUE: 422,
  COSTING_BILL_EXCEEDS_RECEIPT: 422,
  COSTING_INVALID_REPACK: 422,
  COSTING_LOT_REQUIRED: 422,
  COSTING_INVALID_SNAPSHOT: 400,
};

export class CostingError extends Error {
  /** Suggested HTTP status for the problem response. */
  readonly status: number;
  constructor(
    readonly code: CostingErrorCode,
    /** Path of the offending input field, segments joined by "/" (e.g. `qty`, `lines/1/weight`). */
    readonly field: string,
    message: string,
    readonly details: Record<string, string> = {},
  ) {
    super(field ? `${field}: ${message}` : message);
    this.name = 'CostingError';
    this.status = STATUS[code];
  }
}

export const fail = (
  code: CostingErrorCode,
  field: string,
  message: string,
  details?: Record<string, string>,
): never => {
  throw new CostingError(code, field, message, details);
};
