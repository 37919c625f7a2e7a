import { InvalidIfMatchError } from './errors';

/**
 * What a write requires of the stored profile, from its `If-Match` header:
 * - `none`: no header, an unconditional write (creates or replaces);
 * - `exists`: `If-Match: *`, the profile must exist;
 * - `version`: the stored version must be one of `versions` (empty when no tag in the header
 *   could name a version of ours: such a write can never succeed).
 */
export type WritePrecondition =
  | { readonly kind: 'none' }
  | { readonly kind: 'exists' }
  | { readonly kind: 'version'; readonly versions: readonly number[] };

/** The strong entity tag of a profile version: `"v3"`. */
export const etagOf = (version: number): string => `"v${version}"`;

/** One entity tag (`W/` optional) followed by a comma or the end; etagc per RFC 9110. */
const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"[ \t]*(?:,|$)/;
const OUR_OPAQUE_TAG = /^v([1-9]\d{0,14})$/;

/**
 * Parses `If-Match` (RFC 9110, section 13.1.1). `If-Match` uses the strong comparison, so a weak
 * tag (`W/"v3"`) never matches; a well-formed tag we never issued simply matches nothing (412),
 * while a header that is not `*` or a list of entity tags is a client mistake (400).
 */
export const parseIfMatch = (header: string | undefined): WritePrecondition => {
  if (header === undefined) return { kind: 'none' };
  const value = header.trim();
  if (value === '*') return { kind: 'exists' };

  const versions = new Set<number>();
  let rest = value;
  let tags = 0;
  while (rest !== '') {
    rest = rest.replace(/^[ \t,]+/, ''); // a list may carry empty elements (RFC 9110, 5.6.1)
    if (rest === '') break;
    const match = ENTITY_TAG.exec(rest);
    if (match === null) throw new InvalidIfMatchError();
    tags += 1;
    const version = OUR_OPAQUE_TAG.exec(match[2] ?? '')?.[1];
    if (match[1] === undefined && version !== undefined) versions.add(Number(version));
    rest = rest.slice(match[0].length);
  }
  if (tags === 0) throw new InvalidIfMatchError();
  return { kind: 'version', versions: [...versions] };
};
