import { readFile } from 'node:fs/promises';
import { describeSystemError, UsageError } from './errors.js';
import { field, isObject, str } from './event.js';

export type PrincipalKind = 'USER' | 'GROUP';

export interface DirectoryEntry {
  id: string;
  name: string;
  kind: PrincipalKind;
  /** Other names a person may type for it: a user's display name ("Alice Martin"). */
  aliases?: string[];
  /** A user's `UserStatus` where the listing shows it (`ENABLED`, `DISABLED`). */
  status?: string;
}

/** One listing file as given: which kinds it lists (a list-users output says nothing of groups) and its entries by lower-case ID. */
export interface Listing {
  path: string;
  kinds: Set<PrincipalKind>;
  entries: Map<string, DirectoryEntry>;
}

/**
 * Names for Identity Store IDs, from `aws identitystore list-users` / `list-groups` output
 * (`Users[].UserId/UserName`, `Groups[].GroupId/DisplayName`). SCIM events hide names
 * (`HIDDEN_DUE_TO_SECURITY_REASONS`, FIELDS.md 2a), so a listing is often the only way from a name to an ID.
 * Several listings (taken at different times) may name several IDs for one name: a deleted and a re-created user.
 */
export class IdentityDirectory {
  // IDs are hex and compared without case (a user may paste one in capitals); names too, as Identity Center does.
  private byId = new Map<string, DirectoryEntry>();
  private byName = new Map<string, DirectoryEntry[]>();
  /** Whether any listing was given: the wording of a finding depends on it ("pass a listing" vs "the listing lacks"). */
  given = false;
  /** Each listing apart, in the order given: which IDs one listing holds tells a current listing from an older one. */
  listings: Listing[] = [];

  add(entry: DirectoryEntry): void {
    const id = entry.id.toLowerCase();
    if (this.byId.has(id)) return;
    this.byId.set(id, entry);
    for (const name of new Set([entry.name, ...(entry.aliases ?? [])].map((n) => n.toLowerCase()))) {
      const same = this.byName.get(name);
      if (same) same.push(entry);
      else this.byName.set(name, [entry]);
    }
  }

  has(id: string): boolean {
    return this.byId.has(id.toLowerCase());
  }

  nameOf(id: string): string | undefined {
    return this.byId.get(id.toLowerCase())?.name;
  }

  /** By user name, group display name or user display name; Identity Center user names are case-insensitive. */
  idsOf(name: string): DirectoryEntry[] {
    return this.byName.get(name.toLowerCase()) ?? [];
  }

  /** `name (id)` when the listing knows the ID, else the ID. */
  label(id: string): string {
    const name = this.nameOf(id);
    return name ? `${name} (${id})` : id;
  }
}

const LISTING = '--identity-store takes the JSON that aws identitystore list-users or list-groups prints ({"Users":[...]} or {"Groups":[...]}).';

/** Reads the listing files; a file that is not a listing is a usage error, since the user named it as one. */
export async function loadDirectory(paths: readonly string[]): Promise<IdentityDirectory> {
  const directory = new IdentityDirectory();
  directory.given = paths.length > 0;
  for (const path of paths) {
    let value: unknown;
    try {
      const bytes = await readFile(path);
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) throw new UsageError(`--identity-store ${path}: the file is gzip-compressed; gunzip it first. ${LISTING}`, 'BAD_LISTING');
      value = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      if (error instanceof UsageError) throw error;
      // JSON.parse quotes the text it choked on, and a binary file would put raw bytes on the terminal.
      const at = error instanceof SyntaxError ? /position (\d+)/.exec(error.message)?.[1] : undefined;
      const why = error instanceof SyntaxError ? `not JSON${at ? ` (at byte ${at})` : ''}. ${LISTING}` : describeSystemError(error);
      throw new UsageError(`--identity-store ${path}: ${why}`, 'BAD_LISTING');
    }
    const entries = listingEntries(value);
    if (entries === undefined) {
      throw new UsageError(`--identity-store ${path}: JSON, but not a listing (no Users or Groups list). ${LISTING}`, 'BAD_LISTING');
    }
    for (const entry of entries) directory.add(entry);
    directory.listings.push(listingOf(path, value, entries));
  }
  return directory;
}

/** One listing's kinds and entries (`value` is a list-users / list-groups output). */
export function listingOf(path: string, value: unknown, entries: readonly DirectoryEntry[]): Listing {
  const kinds = new Set<PrincipalKind>();
  if (isObject(value) && Array.isArray(value.Users)) kinds.add('USER');
  if (isObject(value) && Array.isArray(value.Groups)) kinds.add('GROUP');
  return { path, kinds, entries: new Map(entries.map((e) => [e.id.toLowerCase(), e])) };
}

/** The entries of a list-users / list-groups output, or undefined when the value is not one. */
export function listingEntries(value: unknown): DirectoryEntry[] | undefined {
  if (!isObject(value)) return undefined;
  const users = value.Users;
  const groups = value.Groups;
  if (!Array.isArray(users) && !Array.isArray(groups)) return undefined;
  const entries: DirectoryEntry[] = [];
  for (const u of Array.isArray(users) ? users : []) {
    const id = str(field(u, 'UserId'));
    const userName = str(field(u, 'UserName'));
    const displayName = str(field(u, 'DisplayName'));
    const name = userName ?? displayName;
    const status = str(field(u, 'UserStatus'));
    if (id && name) entries.push({ id, name, kind: 'USER', ...(userName && displayName ? { aliases: [displayName] } : {}), ...(status ? { status } : {}) });
  }
  for (const g of Array.isArray(groups) ? groups : []) {
    const id = str(field(g, 'GroupId'));
    const name = str(field(g, 'DisplayName'));
    if (id && name) entries.push({ id, name, kind: 'GROUP' });
  }
  return entries;
}
