import { readFile } from 'node:fs/promises';
import { describeSystemError, UsageError } from './errors.js';
import { field, isObject, str } from './event.js';
import type { PrincipalKind } from './identity-store.js';

/**
 * The current assignments of IAM Identity Center, from `aws sso-admin` output given with `--assignments`:
 * - `list-account-assignments` and `list-account-assignments-for-principal`: `{"AccountAssignments":[{"AccountId",
 *   "PermissionSetArn","PrincipalType","PrincipalId"}],"NextToken"?}`;
 * - `list-application-assignments`: `{"ApplicationAssignments":[{"ApplicationArn","PrincipalType","PrincipalId"}]}`;
 * - `describe-permission-set`: `{"PermissionSet":{"Name","PermissionSetArn",...}}`, to name permission sets.
 * A file may hold several of them one after the other (pages, or the outputs of a shell loop appended to one file).
 */
export interface AccountAssignment {
  accountId: string;
  permissionSetArn: string;
  principalType: PrincipalKind;
  principalId: string;
}

export interface ApplicationAssignment {
  applicationArn: string;
  principalType: PrincipalKind;
  principalId: string;
}

export class AssignmentState {
  /** Whether any --assignments file was given: without one the matcher has nothing to check. */
  given = false;
  accounts: AccountAssignment[] = [];
  applications: ApplicationAssignment[] = [];
  /** Permission set names by lower-case ARN, from describe-permission-set output. */
  private names = new Map<string, string>();
  private seen = new Set<string>();

  addAccount(a: AccountAssignment): void {
    const key = `a\u0000${a.accountId}\u0000${a.permissionSetArn.toLowerCase()}\u0000${a.principalType}\u0000${a.principalId.toLowerCase()}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.accounts.push(a);
  }

  addApplication(a: ApplicationAssignment): void {
    const key = `p\u0000${a.applicationArn.toLowerCase()}\u0000${a.principalType}\u0000${a.principalId.toLowerCase()}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.applications.push(a);
  }

  nameSet(arn: string, name: string): void {
    this.names.set(arn.toLowerCase(), name);
  }

  /** The permission set's name where a describe-permission-set output gave it. */
  permissionSetName(arn: string): string | undefined {
    return this.names.get(arn.toLowerCase());
  }
}

const TAKES = '--assignments takes the JSON that aws sso-admin list-account-assignments, list-account-assignments-for-principal, ' +
  'list-application-assignments or describe-permission-set prints ({"AccountAssignments":[...]}, {"ApplicationAssignments":[...]} or {"PermissionSet":{...}}), one or several in a file.';

/** Which sso-admin output a JSON value is, or undefined. */
export function assignmentListingKind(value: unknown): 'account' | 'application' | 'permission-set' | undefined {
  if (!isObject(value)) return undefined;
  if (Array.isArray(value.AccountAssignments)) return 'account';
  if (Array.isArray(value.ApplicationAssignments)) return 'application';
  if (isObject(value.PermissionSet) && typeof value.PermissionSet.PermissionSetArn === 'string') return 'permission-set';
  return undefined;
}

function kindOf(value: unknown): PrincipalKind | undefined {
  const s = str(value)?.toUpperCase();
  return s === 'USER' || s === 'GROUP' ? s : undefined;
}

/** Adds one sso-admin output to the state; false when the value is none of the outputs --assignments takes. */
export function addListing(state: AssignmentState, value: unknown): boolean {
  const kind = assignmentListingKind(value);
  if (!kind || !isObject(value)) return false;
  if (kind === 'permission-set') {
    const arn = str(field(value.PermissionSet, 'PermissionSetArn'));
    const name = str(field(value.PermissionSet, 'Name'));
    if (arn && name) state.nameSet(arn, name);
    return true;
  }
  const items = (kind === 'account' ? value.AccountAssignments : value.ApplicationAssignments) as unknown[];
  for (const item of items) {
    const principalId = str(field(item, 'PrincipalId'));
    const principalType = kindOf(field(item, 'PrincipalType'));
    if (!principalId || !principalType) continue;
    if (kind === 'account') {
      const accountId = str(field(item, 'AccountId'));
      const permissionSetArn = str(field(item, 'PermissionSetArn'));
      if (accountId && permissionSetArn) state.addAccount({ accountId, permissionSetArn, principalType, principalId });
    } else {
      const applicationArn = str(field(item, 'ApplicationArn'));
      if (applicationArn) state.addApplication({ applicationArn, principalType, principalId });
    }
  }
  return true;
}

/**
 * The JSON documents of a text that holds one or several one after the other (the AWS CLI's output of each call
 * of a loop appended to one file, or pages saved with --no-paginate). Throws a SyntaxError naming the byte.
 */
export function jsonDocuments(text: string): unknown[] {
  const docs: unknown[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text[i]!)) i++;
    if (i >= n) break;
    const start = i;
    const open = text[i];
    if (open !== '{' && open !== '[') throw new SyntaxError(`expected { or [ at position ${i}`);
    let depth = 0;
    let inString = false;
    for (; i < n; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      }
    }
    if (depth !== 0) throw new SyntaxError(`unterminated JSON at position ${start}`);
    docs.push(JSON.parse(text.slice(start, i)));
  }
  return docs;
}

/** Reads the --assignments files; a file that holds no sso-admin output is a usage error, since the user named it as one. */
export async function loadAssignments(paths: readonly string[]): Promise<AssignmentState> {
  const state = new AssignmentState();
  state.given = paths.length > 0;
  for (const path of paths) {
    let docs: unknown[];
    try {
      const bytes = await readFile(path);
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) throw new UsageError(`--assignments ${path}: the file is gzip-compressed; gunzip it first. ${TAKES}`, 'BAD_LISTING');
      docs = jsonDocuments(bytes.toString('utf8'));
    } catch (error) {
      if (error instanceof UsageError) throw error;
      const at = error instanceof SyntaxError ? /position (\d+)/.exec(error.message)?.[1] : undefined;
      const why = error instanceof SyntaxError ? `not JSON${at ? ` (at character ${at})` : ''}. ${TAKES}` : describeSystemError(error);
      throw new UsageError(`--assignments ${path}: ${why}`, 'BAD_LISTING');
    }
    const bad = docs.findIndex((doc) => !addListing(state, doc));
    if (docs.length === 0 || bad >= 0) {
      const which = docs.length === 0 ? 'empty' : `JSON, but document ${bad + 1} is not an sso-admin output`;
      throw new UsageError(`--assignments ${path}: ${which}. ${TAKES}`, 'BAD_LISTING');
    }
  }
  return state;
}
