import { ValidationError } from '@sm/errors';
import type { KeyAttributeType } from './table-definition';

/** The key attributes of a paginated query's `LastEvaluatedKey` and their types. */
export type CursorShape = Readonly<Record<string, KeyAttributeType>>;

/** A decoded cursor: exactly the shape's attributes, strings for `S`, numbers for `N`. */
export type CursorKey<Shape extends CursorShape> = {
  readonly [K in keyof Shape]: Shape[K] extends 'N' ? number : string;
};

/** Options of {@link createCursorCodec}. */
export interface CursorCodecOptions<Shape extends CursorShape> {
  /** The attributes of the `LastEvaluatedKey` (table key plus index key when querying an index). */
  readonly attributes: Shape;
  /** JSON pointer of the request value the cursor came from, for the 400. @default '/query/cursor' */
  readonly pointer?: string;
  /** Longest cursor accepted. @default 1024 (the location contract's maxLength) */
  readonly maxLength?: number;
}

/** Encodes a `LastEvaluatedKey` as an opaque cursor and decodes it back, strictly. */
export interface CursorCodec<Shape extends CursorShape> {
  /** base64url (no padding) of the key's JSON. Throws a plain Error if the key has another shape. */
  encode(key: Readonly<Record<string, unknown>>): string;
  /**
   * Decodes a client's cursor into an `ExclusiveStartKey`. Anything that is not exactly what
   * `encode` produces for this shape throws a {@link ValidationError} (400) pointing at the cursor.
   * The caller still checks ownership, e.g. that the cursor's `userId` is the path's.
   */
  decode(cursor: unknown): CursorKey<Shape>;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** DynamoDB caps a partition key at 2048 bytes, a sort key at 1024; a string longer than 2048 is never a key. */
const MAX_KEY_STRING = 2048;

const conforms = (value: unknown, type: KeyAttributeType): boolean =>
  type === 'N'
    ? typeof value === 'number' && Number.isFinite(value)
    : typeof value === 'string' && value.length > 0 && value.length <= MAX_KEY_STRING;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.getPrototypeOf(value) === Object.prototype;

/**
 * Creates the cursor codec of one paginated query. Cursors are opaque to clients but not secret:
 * they are validated structurally here, and for ownership by the service.
 */
export const createCursorCodec = <const Shape extends CursorShape>(
  options: CursorCodecOptions<Shape>,
): CursorCodec<Shape> => {
  const names = Object.keys(options.attributes);
  const pointer = options.pointer ?? '/query/cursor';
  const maxLength = options.maxLength ?? 1024;
  const invalid = () => ValidationError.of(pointer, 'is not a valid cursor');

  const hasShape = (value: unknown): value is Record<string, string | number> => {
    if (!isPlainObject(value)) return false;
    const keys = Object.keys(value);
    return (
      keys.length === names.length &&
      names.every(
        (name) =>
          Object.hasOwn(value, name) &&
          conforms(value[name], options.attributes[name] as KeyAttributeType),
      )
    );
  };

  return {
    encode: (key) => {
      if (!hasShape(key)) {
        throw new Error(`createCursorCodec: key does not have the attributes ${names.join(', ')}`);
      }
      const ordered = Object.fromEntries(names.map((name) => [name, key[name]]));
      const cursor = Buffer.from(JSON.stringify(ordered), 'utf8').toString('base64url');
      if (cursor.length > maxLength)
        throw new Error(`createCursorCodec: cursor longer than ${maxLength} characters`);
      return cursor;
    },
    decode: (cursor) => {
      if (
        typeof cursor !== 'string' ||
        cursor.length === 0 ||
        cursor.length > maxLength ||
        !BASE64URL.test(cursor)
      ) {
        throw invalid();
      }
      const bytes = Buffer.from(cursor, 'base64url');
      // Only the canonical encoding is accepted: no stray trailing bits, nothing decoded leniently.
      if (bytes.toString('base64url') !== cursor) throw invalid();
      let value: unknown;
      try {
        value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      } catch {
        throw invalid();
      }
      if (!hasShape(value)) throw invalid();
      return Object.fromEntries(names.map((name) => [name, value[name]])) as CursorKey<Shape>;
    },
  };
};
