import type { ProblemDetails } from './problem-details';
import { problemTypeUri, type ProblemTypeSlug } from './problem-types';

/** Options every error class accepts; subclasses fix `status` and default the rest. */
export interface AppErrorOptions {
  /**
   * Problem type slug; domain errors narrow a generic class with their own, e.g. a
   * `ConflictError` with `username-taken`.
   */
  readonly slug?: ProblemTypeSlug | (string & {});
  /** Short, human-readable summary of the problem type; the same for every occurrence. */
  readonly title?: string;
  /** The underlying error, kept for logs; never sent to the client. */
  readonly cause?: unknown;
  /** Extra response headers, e.g. `WWW-Authenticate` on a 401 or `Retry-After` on a 429. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Everything {@link AppError} needs; subclasses supply `status`, `slug` and `title`. */
export interface AppErrorInit extends AppErrorOptions {
  readonly status: number;
  readonly slug: string;
  readonly title: string;
  /** Explanation specific to this occurrence. For 5xx errors it stays in the logs. */
  readonly detail: string;
}

/**
 * Base of every error that maps to an HTTP problem response. Throw a subclass anywhere in a
 * handler or domain code; the HTTP adapter turns it into `application/problem+json`.
 *
 * `expose` follows Middy's rule: only client errors (status < 500) show their `detail`;
 * a server error's detail is logged, never sent.
 */
export class AppError extends Error {
  public readonly status: number;
  public readonly slug: string;
  public readonly title: string;
  public readonly detail: string;
  public readonly expose: boolean;
  public readonly headers: Readonly<Record<string, string>>;

  public constructor(init: AppErrorInit) {
    super(init.detail, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status;
    this.slug = init.slug;
    this.title = init.title;
    this.detail = init.detail;
    this.expose = init.status < 500;
    this.headers = init.headers ?? {};
  }

  /** The problem `type` URN, e.g. `urn:problem-type:not-found`. */
  public get type(): string {
    return problemTypeUri(this.slug);
  }

  /**
   * The problem as the client may see it (without `instance`, which the adapter adds).
   * A server error (`expose` false) carries a fixed detail for its status instead of its own.
   */
  public toProblem(): ProblemDetails {
    return { type: this.type, title: this.title, status: this.status, detail: this.publicDetail() };
  }

  /** The detail a client may read: the error's own for 4xx, a fixed sentence for 5xx. */
  public publicDetail(): string {
    if (this.expose) return this.detail;
    return SERVER_ERROR_DETAILS[this.status] ?? DEFAULT_SERVER_ERROR_DETAIL;
  }

  public toJSON(): ProblemDetails {
    return this.toProblem();
  }
}

const SERVER_ERROR_DETAILS: Readonly<Record<number, string>> = {
  502: 'An upstream service returned an invalid response.',
  503: 'The service is temporarily unavailable; retry later.',
  504: 'An upstream service did not answer in time.',
};
const DEFAULT_SERVER_ERROR_DETAIL =
  'An unexpected error occurred. Quote the requestId when reporting it.';

/** Type guard for {@link AppError}, for `catch (error: unknown)` blocks. */
export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
