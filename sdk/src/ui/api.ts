// Calls the kernel through the context's authenticated fetch and turns every failure into an
// ApiProblem a person can read: the problem+json title and detail, each field's message keyed by
// its JSON pointer (`/body/lines/0/qty`), or a plain sentence when the server could not be reached
// or did not answer with a problem. Elements show these words; they never swallow an error.
import type { ErpApiFetch } from './contract.js';

export interface FieldProblem {
  field: string;
  message: string;
}

/** `field` is `pointer` or inside it (`/body/lines/0/serials/1` is inside `/body/lines/0/serials`). */
const under = (field: string, pointer: string) => field === pointer || field.startsWith(`${pointer}/`);

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: readonly FieldProblem[] = [],
  ) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = 'ApiProblem';
  }

  /** The message for the field at `pointer`, if the server named it. */
  fieldMessage(pointer: string): string | undefined {
    return this.errors.find((e) => under(e.field, pointer))?.message;
  }

  /** Field errors none of `pointers` shows (they belong in the form-level message). */
  unclaimed(pointers: readonly string[]): FieldProblem[] {
    return this.errors.filter((e) => !pointers.some((p) => under(e.field, p)));
  }

  static async from(res: Response): Promise<ApiProblem> {
    let body: Record<string, unknown> = {};
    try {
      body = (await res.json()) as Record<string, unknown>;
    } catch {
      // not JSON: the status line is all there is
    }
    const errors = Array.isArray(body.errors)
      ? (body.errors as FieldProblem[]).filter((e) => typeof e?.field === 'string')
      : [];
    return new ApiProblem(
      res.status,
      typeof body.code === 'string' ? body.code : `HTTP_${res.status}`,
      typeof body.title === 'string' ? body.title : res.statusText || `Request failed (${res.status})`,
      typeof body.detail === 'string' ? body.detail : undefined,
      errors,
    );
  }
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
  /** Added to the path; undefined and empty values are left out. */
  query?: Record<string, string | number | boolean | undefined | null>;
}

/** Calls `path` and returns its JSON, or throws an ApiProblem. */
export async function callApi<T = unknown>(api: ErpApiFetch, path: string, o: CallOptions = {}): Promise<T> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(o.query ?? {}))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const url = q.size ? `${path}${path.includes('?') ? '&' : '?'}${q}` : path;
  let res: Response;
  try {
    res = await api(url, {
      method: o.method ?? (o.body === undefined ? 'GET' : 'POST'),
      ...(o.body === undefined
        ? {}
        : { body: JSON.stringify(o.body), headers: { 'content-type': 'application/json' } }),
    });
  } catch (err) {
    throw new ApiProblem(0, 'NETWORK', 'Cannot reach the server', (err as Error).message);
  }
  if (!res.ok) throw await ApiProblem.from(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}
