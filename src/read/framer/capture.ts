/**
 * The value being captured: where it started, and its bytes so far when it spans chunks. A chunk's tail is
 * copied (it is usually small, and would otherwise keep the whole chunk alive); past the size limit the bytes
 * are dropped and only counted, so that a value too large to keep still costs no memory.
 */
import type { Where } from './frame.js';

export class Capture {
  active = false;
  where: Where = 'top';
  /** Offset of its first byte in the input. */
  start = 0;
  /** Index of its first byte not yet kept, in the chunk being scanned (0 after the first chunk). */
  index = 0;
  /** Over the size limit: bytes no longer kept. */
  oversize = false;
  /** Nested deeper than MAX_NESTING. */
  tooDeep = false;
  /** A number or word, which ends at the first byte that cannot be part of it. */
  scalar = false;
  private parts: Buffer[] = [];
  private kept = 0;

  begin(where: Where, start: number, index: number): void {
    this.active = true;
    this.where = where;
    this.start = start;
    this.index = index;
    this.parts = [];
    this.kept = 0;
    this.oversize = false;
    this.tooDeep = false;
    this.scalar = false;
  }

  drop(): void {
    this.parts = [];
    this.oversize = true;
  }

  /** The chunk ends inside the value: keep its tail (up to `max` bytes in all). */
  carry(chunk: Buffer, max: number): void {
    if (!this.oversize) {
      const rest = chunk.subarray(this.index);
      this.kept += rest.length;
      if (this.kept > max) this.drop();
      else this.parts.push(Buffer.from(rest));
    } else {
      this.kept += chunk.length - this.index;
    }
    this.index = 0;
  }

  /** Bytes carried over from another buffer (a replayed line, json-lines.ts), and go on at `index` here. */
  carryFrom(other: Buffer, index: number): void {
    const rest = other.subarray(this.index);
    this.parts.push(Buffer.from(rest));
    this.kept += rest.length;
    this.index = index;
  }

  /** Its size if it ends at `end` of `buf`. */
  size(end: number): number {
    return this.kept + (end - this.index);
  }

  /** Its bytes if it ends at `end` of `buf`. */
  bytes(buf: Buffer, end: number): Buffer {
    const tail = buf.subarray(this.index, end);
    return this.parts.length === 0 ? tail : Buffer.concat([...this.parts, tail]);
  }

  /** Its first byte. */
  first(buf: Buffer): number {
    return this.parts[0]?.[0] ?? buf[this.index]!;
  }

  end(): void {
    this.active = false;
    this.scalar = false;
    this.parts = [];
    this.kept = 0;
    this.oversize = false;
    this.tooDeep = false;
  }
}
