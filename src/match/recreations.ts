import { formatDistanceStrict } from 'date-fns/formatDistanceStrict';
import type { IdentityDirectory } from '../identity-store.js';
import { byTime, timeOf } from './common.js';
import type { PrincipalEvent } from './principals.js';

export type PairedBy = 'visible name' | 'identity-store listing' | 'time';

/** A user or group deleted and created again: the guide's issue 6, where assignments keep the old ID. */
export interface Recreation {
  deleted: PrincipalEvent;
  created: PrincipalEvent;
  /** The name both IDs had, where the logs or a listing show it. */
  name: string | undefined;
  pairedBy: PairedBy;
  confidence: 'high' | 'low';
  /** How the two were paired, in words that fit what the user passed (a listing or not). */
  how: string;
}

/**
 * Pairs each delete with the create that re-made the same user or group. By name where the logs or a listing
 * show both names; else (current SCIM logs hide names) with the first create of the same kind within
 * `windowMs`, unless both names are known and differ. A pure function of the whole sets, so the pairing is the
 * same whatever order the records came in.
 */
export function pairRecreations(deletes: readonly PrincipalEvent[], creates: readonly PrincipalEvent[], directory: IdentityDirectory, windowMs: number): Recreation[] {
  const dels = [...deletes].sort((a, b) => byTime(a.record, b.record));
  const news = [...creates].sort((a, b) => byTime(a.record, b.record));
  // A name the logs show for an ID (from its own create), else the listing's.
  const shown = new Map<string, string>();
  for (const c of news) if (c.name) shown.set(c.id, c.name);
  const nameOf = (id: string): [string, PairedBy] | undefined => {
    const visible = shown.get(id);
    if (visible) return [visible, 'visible name'];
    const listed = directory.nameOf(id);
    return listed ? [listed, 'identity-store listing'] : undefined;
  };
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const paired = new Set<PrincipalEvent>();
  const pairs: Recreation[] = [];
  for (const del of dels) {
    const deletedAt = timeOf(del.record);
    const after = news.filter((c) => !paired.has(c) && c.kind === del.kind && c.id !== del.id && !(timeOf(c.record) < deletedAt));
    const oldName = nameOf(del.id);
    let match: PrincipalEvent | undefined;
    let pairedBy: PairedBy = 'time';
    if (oldName) {
      for (const c of after) {
        const newName = nameOf(c.id);
        if (newName && same(newName[0], oldName[0])) {
          match = c;
          pairedBy = oldName[1] === 'visible name' && newName[1] === 'visible name' ? 'visible name' : 'identity-store listing';
          break;
        }
      }
    }
    match ??= after.find((c) => {
      if (timeOf(c.record) - deletedAt > windowMs) return false;
      const newName = nameOf(c.id);
      return !(oldName && newName && !same(oldName[0], newName[0]));
    });
    if (!match) continue;
    paired.add(match);
    const newName = nameOf(match.id);
    const name = oldName?.[0] ?? newName?.[0];
    pairs.push({
      deleted: del, created: match, name, pairedBy, confidence: pairedBy === 'time' ? 'low' : 'high',
      how: pairedBy === 'time' ? byTimeOnly(del, match, oldName?.[0], newName?.[0], directory) : `paired by ${pairedBy}`,
    });
  }
  return pairs;
}

function byTimeOnly(del: PrincipalEvent, created: PrincipalEvent, oldName: string | undefined, newName: string | undefined, directory: IdentityDirectory): string {
  const gap = timeOf(created.record) - timeOf(del.record);
  const when = Number.isFinite(gap) ? `created ${formatDistanceStrict(timeOf(created.record), timeOf(del.record))} after the delete` : 'created after the delete';
  const start = `paired only by time (${when}, within --recreate-window)`;
  // What would settle it depends on what the user already gave: a listing from after the re-creation names
  // only the new ID, which is what `aws identitystore list-users` run today gives. Users are in list-users and groups
  // in list-groups, so name the one that is missing: a list-users listing says nothing about a group.
  const listing = `aws identitystore ${del.kind === 'USER' ? 'list-users' : 'list-groups'}`;
  if (!directory.given) {
    return `${start}; the logs hide both names, so this is a guess: pass ${listing} output with --identity-store (taken now, it names the new ID; taken before the delete, the old)`;
  }
  if (newName && !oldName) {
    return `${start}; the --identity-store listing names the new ID ${newName} but does not hold the old ID (it was taken after the delete), so the old name is not known: ${listing} output taken before the delete would confirm it`;
  }
  if (oldName && !newName) {
    return `${start}; the --identity-store listing names the old ID ${oldName} but does not hold the new ID (it was taken before the create): ${listing} output taken now would confirm it`;
  }
  return `${start}; no --identity-store listing holds either ID and the logs hide the names, so this is a guess: ${listing} output (taken now for the new ID, before the delete for the old) would settle it`;
}
