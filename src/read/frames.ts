import { isUtf8 } from 'node:buffer';
import { candidateFields, candidateTest, type Candidate, type CandidateTest } from '../candidates.js';
import { isObject, looksLikeRecord, type CloudTrailRecord } from '../event.js';
import { describeJsonError, type InputProblem } from '../errors.js';
import type { ProblemCode } from '../problems.js';
import { assignmentListingKind } from '../assignments.js';
import { listingEntries } from '../identity-store.js';
import { captureKind } from '../saml/capture-kind.js';
import { ATHENA_NOTE, missingNote, resultSetRecords } from './containers/athena.js';
import { isDigest } from './containers/digest.js';
import { lakeRowToRecord, missingLakeColumns } from './containers/lake.js';
import { isLookupEvent, unwrapLookupEvent } from './containers/lookup-events.js';
import type { ReadEvent } from './events.js';
import type { SummaryFields } from './framer/fields.js';
import type { Frame, Where } from './framer/frame.js';

export const DIGEST_NOTE = 'CloudTrail digest file, skipped (it holds no events)';

export type { ReadEvent } from './events.js';

/** A value framed by the stream-json engine arrives already parsed. */
export type ParsedFrame = { kind: 'parsed'; where: Where; value: unknown };
/** stream-json knows no byte offsets. */
export type ContainerFrame = { kind: 'container'; where: Where };
export type LostFrame = { kind: 'lost'; where: Where; message: string; code: ProblemCode; offset?: number };
export type AnyFrame = Frame | ParsedFrame | ContainerFrame | LostFrame;

/**
 * Turns framed JSON values into CloudTrail records, whatever the container: Records arrays, bare arrays,
 * JSON Lines, lookup-events pages, CloudTrail Lake rows. Every value counts as one position ("record N") in
 * its input, so a problem can be found again in the file.
 */
export class FrameReader {
  private index = 0;
  private lakeChecked = false;
  private assignmentsNoted = false;
  private problemCount = 0;
  private containerCount = 0;

  private readonly wanted: CandidateTest | undefined;

  /** Offsets are in decompressed data (a gzip input): said so in problems. */
  decompressed = false;

  /** `candidates`: see candidates.ts; without them every record is parsed in full. */
  /**
   * `counted`: where the records no matcher wants go, when the caller counts them itself (read-file.ts): an event
   * object per record would cost more than its count. Without it they come as `counted` events.
   */
  constructor(
    private readonly input: string,
    candidates?: readonly Candidate[],
    private readonly counted?: (fields: SummaryFields) => void,
  ) {
    this.wanted = candidates && candidateTest(candidates);
  }

  /** The events of these frames, in order. (An array, not a generator: a yield per record cost more than the record.) */
  read(frames: readonly AnyFrame[]): ReadEvent[] {
    const out: ReadEvent[] = [];
    for (const frame of frames) {
      if (frame.kind === 'container') {
        this.containerCount++;
        continue;
      }
      if (frame.kind === 'error') {
        out.push(this.problem(frame.code, frame.message, undefined, frame.offset));
        continue;
      }
      const index = ++this.index;
      if (frame.kind === 'lost') {
        out.push(this.problem(frame.code, frame.message, index, frame.offset));
        continue;
      }
      if (this.wanted && frame.kind === 'value' && frame.fields && frame.where !== 'Events' && frame.where !== 'QueryResultRows' && !this.wanted(frame.fields) && isUtf8(frame.bytes)) {
        if (this.counted) this.counted(frame.fields);
        else out.push({ type: 'counted', fields: frame.fields });
        continue;
      }
      let value: unknown;
      if (frame.kind === 'parsed') {
        value = frame.value;
      } else {
        const text = frame.bytes.toString('utf8');
        try {
          value = JSON.parse(text);
        } catch (error) {
          out.push(this.problem('JSON_MALFORMED', `malformed JSON: ${describeJsonError(text, error)}`, index, frame.offset));
          continue;
        }
        // Invalid UTF-8 is not an error to JSON.parse (it reads U+FFFD): the record is kept, but the input is
        // reported as not clean. (isUtf8 is a fast native check; parsed records are a few percent.)
        if (!isUtf8(frame.bytes)) {
          const event = this.problem('INVALID_UTF8', 'invalid UTF-8 (read with replacement characters)', index, frame.offset);
          if (event.type === 'problem') event.problem.kept = true;
          out.push(event);
        }
      }
      this.interpret(out, value, frame.where, index, frame.kind === 'value' ? frame.offset : undefined, frame.kind === 'value' ? frame.bytes.length : undefined);
    }
    return out;
  }

  private interpret(out: ReadEvent[], value: unknown, where: Where, index: number, offset: number | undefined, size: number | undefined): void {
    if (where === 'Events' || (where !== 'Records' && where !== 'QueryResultRows' && isLookupEvent(value))) {
      const unwrapped = unwrapLookupEvent(value);
      if ('record' in unwrapped) out.push(this.record(unwrapped.record, index, size));
      else out.push(this.problem(unwrapped.code ?? 'LOOKUP_EVENT_MALFORMED', unwrapped.problem, index, offset));
      return;
    }
    if (where === 'QueryResultRows') {
      const record = lakeRowToRecord(value);
      if (!record) {
        out.push(this.problem('LAKE_ROW_MALFORMED', 'CloudTrail Lake row is not a list of {"column": "value"} objects', index, offset));
        return;
      }
      if (!this.lakeChecked) {
        this.lakeChecked = true;
        const missing = missingLakeColumns(record);
        if (missing.length) {
          out.push(this.note(`CloudTrail Lake results without the columns ${missing.join(', ')}: findings that need them cannot be made`));
        }
      }
      out.push(this.record(record, index, size));
      return;
    }
    if (looksLikeRecord(value)) {
      out.push(this.record(value, index, size));
      return;
    }
    if (where === 'top') {
      const results = resultSetRecords(value);
      if (results) {
        out.push(this.note(ATHENA_NOTE));
        if (results.missing.length) out.push(this.note(missingNote(results.missing)));
        // one value holds them all: each counts for its share of it
        const share = size === undefined ? undefined : Math.ceil(size / Math.max(1, results.records.length));
        for (const record of results.records) out.push(this.record(record, index, share));
        return;
      }
    }
    if (where === 'top' && isDigest(value)) {
      out.push({ type: 'note', input: this.input, message: DIGEST_NOTE, digest: true });
      return;
    }
    if (where === 'top' && listingEntries(value) !== undefined) {
      out.push(this.note('an aws identitystore list-users / list-groups listing, not events: skipped (give it with --identity-store to name users and groups)'));
      return;
    }
    if (where === 'top' && assignmentListingKind(value) !== undefined) {
      // one note per input, however many outputs (pages, the calls of a loop) it holds
      if (this.assignmentsNoted) return;
      this.assignmentsNoted = true;
      out.push(this.note('an aws sso-admin assignment listing or permission set, not events: skipped (give it with --assignments to check the assignments, docs/assignments.md)'));
      return;
    }
    if (where === 'top' && captureKind(value) !== undefined) {
      out.push(this.note('a SAML capture, not events: skipped (give it to sso-logs saml)'));
      return;
    }
    out.push(this.problem('NOT_CLOUDTRAIL', `not a CloudTrail record: ${describeValue(value)}`, index, offset));
  }

  private record(record: CloudTrailRecord, index: number, size?: number): ReadEvent {
    // Records parsed whole (lookup-events, Lake rows, records the fast path could not count) are tested too, so
    // that worker threads send on only what the matchers can use.
    // (Without the request text: the test then takes more, never fewer.)
    const event: ReadEvent = { type: 'record', record, input: this.input, index };
    if (size !== undefined) event.size = size;
    if (this.wanted && !this.wanted(candidateFields(record, false))) event.unwanted = true;
    return event;
  }


  private note(message: string): ReadEvent {
    return { type: 'note', input: this.input, message };
  }

  private problem(code: ProblemCode, message: string, record: number | undefined, offset: number | undefined): ReadEvent {
    this.problemCount++;
    const problem: InputProblem = { input: this.input, code, message };
    if (record !== undefined) problem.record = record;
    if (offset !== undefined) {
      problem.offset = offset;
      if (this.decompressed) problem.decompressed = true;
    }
    return { type: 'problem', problem };
  }

  /** Whether the input held any JSON at all: a value, or a list, even an empty one. */
  get empty(): boolean {
    return this.index === 0 && this.containerCount === 0;
  }

  /** How many values (positions "record N") were read. */
  get values(): number {
    return this.index;
  }

  get problems(): number {
    return this.problemCount;
  }
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a JSON array';
  if (isObject(value)) {
    const keys = Object.keys(value);
    const shown = keys.slice(0, 5).map((k) => JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}...` : k));
    return `a JSON object with keys ${shown.join(', ')}${keys.length > 5 ? `, ... (${keys.length} keys)` : ''}` +
      ' (no Records, Events or QueryResultRows list and no CloudTrail record fields)';
  }
  return value === null ? 'null' : `a JSON ${typeof value}`;
}
