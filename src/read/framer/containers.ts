/**
 * The containers CloudTrail exports come in, as the framer sees them: `{"Records":[...]}` (S3 log files, Event
 * history downloads), `{"Events":[...]}` (lookup-events), `{"QueryResultRows":[...]}` (CloudTrail Lake). Only
 * the elements of such a list are captured; the rest of the object is skipped, never buffered, so a 2 GB Records
 * file is never held in memory. And where framing can start afresh in the middle of an input (a file read in two
 * parts at once, two-parts.ts).
 */
import { CONTAINER_KEYS, LBRACE, LBRACK, type ContainerKey } from './frame.js';

export function isContainerKey(key: string | null): key is ContainerKey {
  return key !== null && (CONTAINER_KEYS as readonly string[]).includes(key);
}

/** The longest key worth spelling out while scanning: the container keys are shorter. */
export const MAX_KEY = 32;

/**
 * Whether a key of a top-level object that starts with this byte may name a container. Most keys (every key of
 * a JSON Lines record) are told apart by their first letter, without making a string of them; undefined: the
 * key's first byte is in the next chunk.
 */
export function mayNameContainer(first: number | undefined): boolean {
  return first === undefined || first === 0x52 || first === 0x45 || first === 0x51; // R, E, Q
}

/**
 * A place between two records where framing can start afresh: between the elements of a Records (or Events)
 * list of a top-level object, or between two top-level values of JSON Lines.
 */
export type Boundary = { where: 'Records' | 'Events' } | { where: 'top'; lineMode: boolean };

/** The framer's structure, as far as a boundary needs it. */
export interface Structure {
  stack: readonly number[];
  elemWhere: string | null;
  elemDepth: number;
}

/** The boundary a framer stands at, from its structure, when it is between values (not in a string or value). */
export function boundaryOf(s: Structure, lineMode: boolean): Boundary | undefined {
  if (s.stack.length === 0) return { where: 'top', lineMode };
  if (s.stack.length === 2 && s.stack[0] === LBRACE && s.stack[1] === LBRACK && (s.elemWhere === 'Records' || s.elemWhere === 'Events') && s.elemDepth === 2) {
    return { where: s.elemWhere };
  }
  return undefined;
}

/** The structure to resume in, inside a Records or Events list (a top-level boundary needs none). */
export function resumeInside(where: 'Records' | 'Events'): { stack: number[]; elemWhere: 'Records' | 'Events'; elemDepth: number } {
  return { stack: [LBRACE, LBRACK], elemWhere: where, elemDepth: 2 };
}
