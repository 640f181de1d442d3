import type { InputProblem } from '../errors.js';
import type { CloudTrailRecord } from '../event.js';
import type { SummaryFields } from './framer/fields.js';

/**
 * What reading an input produces, in input order. A module of its own, so that the container readers
 * (containers/athena.ts) and the frame reader that uses them do not import each other.
 */
export type ReadEvent =
  /** `unwanted`: parsed (a lookup-events Event, an Athena row, a fast-path miss) but meeting no matcher's candidate condition: for the summary only. */
  | { type: 'record'; record: CloudTrailRecord; input: string; index: number; unwanted?: true; /** Bytes of JSON it came from, when known: queues are bounded by it. */ size?: number }
  /** A record no matcher wants, read only for the summary (fields.ts). */
  | { type: 'counted'; fields: SummaryFields }
  | { type: 'problem'; problem: InputProblem }
  | { type: 'note'; input: string; message: string; digest?: true };

