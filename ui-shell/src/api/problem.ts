// Turns an API refusal (RFC 9457 problem+json) into words a person can act on: the title, the
// detail and each field error. Nothing is swallowed: an unexpected answer is named by its status.

export interface ProblemBody {
  title?: string;
  detail?: string;
  code?: string;
  status?: number;
  errors?: { field: string; message: string }[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: ProblemBody,
  ) {
    super(describeProblem(status, problem));
    this.name = 'ApiError';
  }
  get code(): string | undefined {
    return this.problem.code;
  }
}

const fieldName = (pointer: string) => pointer.replace(/^\/(body|querystring|params)\/?/, '') || 'request';

export function describeProblem(status: number, p: ProblemBody): string {
  const head = p.title ?? `The server answered ${status}`;
  const parts = [p.detail && p.detail !== head ? `${head}: ${p.detail}` : head];
  for (const e of p.errors ?? []) parts.push(`${fieldName(e.field)} ${e.message}`);
  return parts.join('. ');
}

/** Reads a JSON answer, or throws an ApiError that says in words what went wrong. */
export async function json<T>(res: Response): Promise<T> {
  if (res.ok) return (res.status === 204 ? undefined : await res.json()) as T;
  let body: ProblemBody = {};
  try {
    body = await res.json();
  } catch {
    body = { title: `The server answered ${res.status} ${res.statusText}`.trim() };
  }
  throw new ApiError(res.status, body);
}

export const messageOf = (err: unknown): string =>
  err instanceof Error ? err.message : `Unexpected error: ${String(err)}`;
