/**
 * Incident stories for order tests: users and groups created, assigned, deleted and re-created by SCIM, with the
 * failures each matcher looks for and unrelated noise around them. A story is a plan (plain data that fast-check
 * generates and shrinks) and the records built from it, deterministically: the same plan gives the same bytes.
 *
 * Record shapes follow ../shared/FIELDS.md as the factories of cloudtrail.ts do; the few added here are variants
 * of those (names shown instead of HIDDEN_DUE_TO_SECURITY_REASONS, group assignments, DeleteAccountAssignment).
 */
import fc from 'fast-check';
import {
  createAccountAssignment, externalIdpFailure, Gen, insight, listUsers, MEMBER_ACCOUNTS, noise, ORG_ACCOUNT, protectedRoleFailure,
  scimCreateGroup, scimCreateUser, scimDeleteGroup, scimDeleteUser, scimError, scimPatchUser, signinCredentialChallenge, signinFailure,
  ssoCreateRole, updatePasswordFailure, updatePasswordFailureFor, type Rec,
} from './cloudtrail.js';

export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';
export const T0 = Date.UTC(2024, 9, 10, 13, 0, 0);
const REGION = 'us-east-1';

// ---------------------------------------------------------------------------------------------------------------
// Factories missing from cloudtrail.ts

/**
 * SCIM CreateUser with the names shown: the shape of scimCreateUser (FIELDS.md 2a) with userName, displayName,
 * name and email in clear, in the request body and in the response, where current logs write HIDDEN_DUE_TO_SECURITY_REASONS.
 */
export function scimCreateUserShown(g: Gen, time: number, region: string, id: string, userName: string, givenName: string, familyName: string): Rec {
  const r = scimCreateUser(g, time, region, id);
  const request = r.requestParameters as Rec;
  const displayName = `${givenName} ${familyName}`;
  const email = userName.includes('@') ? userName : `${userName}@example.com`;
  return {
    ...r,
    requestParameters: {
      ...request,
      httpBody: { ...(request.httpBody as Rec), displayName, name: { familyName, givenName }, userName, emails: [{ value: email, type: 'work', primary: true }] },
    },
    responseElements: { ...(r.responseElements as Rec), userName, name: { familyName, givenName }, displayName },
  };
}

/** SCIM CreateGroup with its displayName shown (the shape of scimCreateGroup, FIELDS.md 2a). */
export function scimCreateGroupShown(g: Gen, time: number, region: string, id: string, displayName: string): Rec {
  const r = scimCreateGroup(g, time, region, id);
  const request = r.requestParameters as Rec;
  return {
    ...r,
    requestParameters: { ...request, httpBody: { ...(request.httpBody as Rec), displayName } },
    responseElements: { ...(r.responseElements as Rec), displayName },
  };
}

/**
 * sso.amazonaws.com Create/DeleteAccountAssignment for a user or a group (FIELDS.md 2c): the shape of
 * createAccountAssignment; a delete answers with accountAssignmentDeletionStatus.
 */
export function accountAssignmentEvent(
  g: Gen, time: number, region: string, eventName: 'CreateAccountAssignment' | 'DeleteAccountAssignment',
  principalType: 'USER' | 'GROUP', principalId: string, targetId: string, permissionSet: string,
): Rec {
  const r = createAccountAssignment(g, time, region, principalId, targetId, permissionSet);
  const status = { ...((r.responseElements as Rec).accountAssignmentCreationStatus as Rec), principalType };
  return {
    ...r,
    eventName,
    requestParameters: { ...(r.requestParameters as Rec), principalType },
    responseElements: eventName === 'CreateAccountAssignment' ? { accountAssignmentCreationStatus: status } : { accountAssignmentDeletionStatus: status },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Plans

export type Fate = 'stays' | 'deleted' | 'recreated';

/** One user's or group's life. Times are seconds after T0. */
export interface PrincipalPlan {
  start: number;
  /** The name is visible in its SCIM create (else HIDDEN_DUE_TO_SECURITY_REASONS). */
  shown: boolean;
  patch: boolean;
  /** Account assignments to the first ID (one account and permission set each). */
  assignments: number;
  /** DeleteAccountAssignment of the first of them: none, before the principal is deleted, or after. */
  unassign: 'none' | 'before' | 'after';
  fate: Fate;
  /** Seconds from the create to the SCIM delete (when deleted). */
  lifetime: number;
  /** Seconds from the delete to the re-create under a new ID (some are past the 24 h --recreate-window). */
  gap: number;
  shownAgain: boolean;
  assignNew: boolean;
  /** Users only: failed UpdatePassword calls by the user, on the ID they have at the time. */
  passwordFailures: number;
  /** Users only: failed password steps in one sign-in attempt. */
  signinFailures: number;
}

export interface StoryPlan {
  /** Seeds the random fields of the records (ids, IPs, request IDs). */
  seed: number;
  users: PrincipalPlan[];
  groups: PrincipalPlan[];
  /** Failed SCIM calls: which published error, when, and (for a PatchUser) which user. */
  scimErrors: { kind: number; at: number; user: number }[];
  externalIdp: number[];
  protectedRole: { at: number; eventName: number }[];
  /** A sign-in with a user name that matches no user (hidden by CloudTrail). */
  unknownSignin: number | null;
  /** An UpdatePassword failure from the "Forgot password?" flow (no user shown). */
  anonymousPasswordFailure: number | null;
  noise: number[];
  /** Records delivered twice (indices into the time-ordered records, modulo their number). */
  repeats: number[];
}

// The published SCIM errors (FIELDS.md 2a, [C]); a PatchUser names its target.
const SCIM_ERRORS: { eventName: string; errorCode: string; errorMessage: string }[] = [
  { eventName: 'PatchUser', errorCode: 'ValidationException', errorMessage: 'Missing path in PATCH request' },
  { eventName: 'CreateGroup', errorCode: 'ConflictException', errorMessage: 'Duplicate GroupDisplayName' },
  { eventName: 'CreateUser', errorCode: 'ValidationException', errorMessage: 'List attribute emails exceeds allowed limit of 1' },
];
const SPAN = 4 * 3600;
const at = fc.integer({ min: 0, max: SPAN });

function principalPlan(user: boolean): fc.Arbitrary<PrincipalPlan> {
  return fc.record({
    start: at,
    shown: fc.boolean(),
    patch: fc.boolean(),
    assignments: fc.integer({ min: 0, max: 2 }),
    unassign: fc.constantFrom('none', 'before', 'after'),
    fate: fc.constantFrom<Fate>('recreated', 'stays', 'deleted'),
    lifetime: fc.integer({ min: 600, max: 3 * 3600 }),
    gap: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 3600 }) }, { weight: 1, arbitrary: fc.integer({ min: 25 * 3600, max: 30 * 3600 }) }),
    shownAgain: fc.boolean(),
    assignNew: fc.boolean(),
    passwordFailures: user ? fc.integer({ min: 0, max: 2 }) : fc.constant(0),
    signinFailures: user ? fc.integer({ min: 0, max: 3 }) : fc.constant(0),
  });
}

export const storyPlan: fc.Arbitrary<StoryPlan> = fc.record({
  seed: fc.integer({ min: 1, max: 0x7fffffff }),
  users: fc.array(principalPlan(true), { minLength: 1, maxLength: 3 }),
  groups: fc.array(principalPlan(false), { maxLength: 2 }),
  scimErrors: fc.array(fc.record({ kind: fc.nat({ max: SCIM_ERRORS.length - 1 }), at, user: fc.nat({ max: 2 }) }), { maxLength: 3 }),
  externalIdp: fc.array(at, { maxLength: 2 }),
  protectedRole: fc.array(fc.record({ at, eventName: fc.nat({ max: 2 }) }), { maxLength: 2 }),
  unknownSignin: fc.option(at, { nil: null }),
  anonymousPasswordFailure: fc.option(at, { nil: null }),
  noise: fc.array(at, { maxLength: 12 }),
  repeats: fc.array(fc.nat({ max: 200 }), { maxLength: 3 }),
});

const PROTECTED_CALLS = ['DeleteRolePolicy', 'PutRolePolicy', 'UpdateAssumeRolePolicy'];

export const USERS = [
  { name: 'jdoe', givenName: 'Jo', familyName: 'Doe' },
  { name: 'asmith@example.com', givenName: 'Ana', familyName: 'Smith' },
  { name: 'Carol.Ng@example.com', givenName: 'Carol', familyName: 'Ng' },
];
export const GROUPS = ['platform-admins', 'data-engineers'];
const PERMISSION_SETS = ['ps-5a1b2c3d4e5f6a7b', 'ps-0c9d8e7f6a5b4c3d'];

// ---------------------------------------------------------------------------------------------------------------
// Stories

export interface Principal {
  kind: 'USER' | 'GROUP';
  name: string;
  /** The first ID, then the ID of the re-creation if any. */
  ids: string[];
  plan: PrincipalPlan;
}

export interface Story {
  /** In time order (records at the same second in the order they were made), repeated deliveries next to their first. */
  records: Rec[];
  principals: Principal[];
  /** `aws identitystore list-users` before any re-creation (first IDs) and after the story (current IDs). */
  listings: { before: Rec; after: Rec };
  /** A one-line description of each record, for failure messages. */
  describe: (r: Rec) => string;
}

export function buildStory(plan: StoryPlan): Story {
  const g = new Gen(plan.seed);
  const timed: { time: number; record: Rec }[] = [];
  const add = (seconds: number, make: (time: number) => Rec) => {
    const time = T0 + seconds * 1000;
    timed.push({ time, record: make(time) });
  };
  const principals: Principal[] = [];
  const lives = [
    ...plan.users.map((p, i) => ({ p, kind: 'USER' as const, i })),
    ...plan.groups.map((p, i) => ({ p, kind: 'GROUP' as const, i })),
  ];
  for (const { p, kind, i } of lives) {
    const user = kind === 'USER' ? USERS[i]! : undefined;
    const name = user?.name ?? GROUPS[i]!;
    const first = g.storeId();
    const ids = [first];
    const create = (seconds: number, id: string, shown: boolean) => add(seconds, (t) => {
      if (user) return shown ? scimCreateUserShown(g, t, REGION, id, user.name, user.givenName, user.familyName) : scimCreateUser(g, t, REGION, id);
      return shown ? scimCreateGroupShown(g, t, REGION, id, name) : scimCreateGroup(g, t, REGION, id);
    });
    const assign = (seconds: number, id: string, k: number, eventName: 'CreateAccountAssignment' | 'DeleteAccountAssignment') =>
      add(seconds, (t) => accountAssignmentEvent(g, t, REGION, eventName, kind, id, MEMBER_ACCOUNTS[k % 2]!, PERMISSION_SETS[(k + i) % 2]!));
    const s = p.start;
    const deleted = p.fate !== 'stays';
    const deletedAt = s + p.lifetime;
    create(s, first, p.shown);
    if (p.patch) add(s + 60, (t) => (kind === 'USER' ? scimPatchUser(g, t, REGION, first) : { ...scimPatchUser(g, t, REGION, first), eventName: 'PatchGroup' }));
    for (let k = 0; k < p.assignments; k++) assign(s + 120 + 60 * k, first, k, 'CreateAccountAssignment');
    for (let k = 0; k < p.passwordFailures; k++) add(s + 300 + 30 * k, (t) => updatePasswordFailureFor(g, t, REGION, first));
    if (user && p.signinFailures) {
      const workflow = g.uuid();
      for (let k = 0; k < p.signinFailures; k++) add(s + 400 + 20 * k, (t) => signinFailure(g, t, REGION, user.name, workflow));
      add(s + 400 + 20 * p.signinFailures, (t) => signinCredentialChallenge(g, t, REGION, first, user.name));
    }
    if (p.assignments && p.unassign === 'before') assign(deleted ? deletedAt - 30 : s + 500, first, 0, 'DeleteAccountAssignment');
    if (deleted) {
      add(deletedAt, (t) => (kind === 'USER' ? scimDeleteUser(g, t, REGION, first) : scimDeleteGroup(g, t, REGION, first)));
      if (p.assignments && p.unassign === 'after') assign(deletedAt + 30, first, 0, 'DeleteAccountAssignment');
    }
    if (p.fate === 'recreated') {
      const second = g.storeId();
      ids.push(second);
      const again = deletedAt + p.gap;
      create(again, second, p.shownAgain);
      if (p.assignNew) assign(again + 60, second, 0, 'CreateAccountAssignment');
      if (p.passwordFailures) add(again + 120, (t) => updatePasswordFailureFor(g, t, REGION, second));
    }
    principals.push({ kind, name, ids, plan: p });
  }
  const users = principals.filter((u) => u.kind === 'USER');
  for (const e of plan.scimErrors) {
    const error = SCIM_ERRORS[e.kind]!;
    const target = error.eventName === 'PatchUser' ? users[e.user % users.length]!.ids[0] : undefined;
    add(e.at, (t) => scimError(g, t, REGION, error.eventName, error.errorCode, error.errorMessage, target));
  }
  for (const a of plan.externalIdp) add(a, (t) => externalIdpFailure(g, t, REGION));
  const role = 'AWSReservedSSO_DataEngineer_3f9a1c2b7d6e5a40';
  if (plan.protectedRole.length) add(0, (t) => ssoCreateRole(g, t, MEMBER_ACCOUNTS[0]!, REGION, role));
  for (const e of plan.protectedRole) add(e.at, (t) => protectedRoleFailure(g, t, MEMBER_ACCOUNTS[0]!, role, PROTECTED_CALLS[e.eventName]!));
  if (plan.unknownSignin !== null) add(plan.unknownSignin, (t) => signinFailure(g, t, REGION, HIDDEN, g.uuid(), 'CredentialChallenge'));
  if (plan.anonymousPasswordFailure !== null) add(plan.anonymousPasswordFailure, (t) => updatePasswordFailure(g, t, REGION));
  for (const [k, a] of plan.noise.entries()) add(a, (t) => (k === 3 ? insight(g, t, ORG_ACCOUNT, REGION) : noise(g, t, k % 3 ? ORG_ACCOUNT : MEMBER_ACCOUNTS[1]!, REGION)));

  // Array.prototype.sort is stable: records at the same second stay in the order they were made.
  const records = timed.sort((a, b) => a.time - b.time).map((x) => x.record);
  const twice = new Set(plan.repeats.map((r) => r % records.length));
  const delivered = records.flatMap((r, i) => (twice.has(i) ? [r, r] : [r]));

  const listing = (when: 'before' | 'after') => listUsers(users.flatMap((u) => {
    if (when === 'before') return [{ id: u.ids[0]!, name: u.name }];
    return u.plan.fate === 'deleted' ? [] : [{ id: u.ids[u.ids.length - 1]!, name: u.name }];
  }));
  const idNames = new Map(principals.flatMap((p) => p.ids.map((id, k) => [id, `${p.name}#${k === 0 ? 'first' : 'second'}`] as const)));
  return { records: delivered, principals, listings: { before: listing('before'), after: listing('after') }, describe: (r) => describeRecord(r, idNames) };
}

/** `13:05:12 identitystore-scim CreateUser jdoe#first(34887428…) name=jdoe [ev 1a2b3c4d]` */
function describeRecord(r: Rec, idNames: Map<string, string>): string {
  const text = JSON.stringify([r.requestParameters ?? null, r.responseElements ?? null, r.userIdentity ?? null]);
  const ids = [...idNames].filter(([id]) => text.includes(id)).map(([id, who]) => `${who}(${id.slice(0, 8)}…)`);
  const body = ((r.requestParameters as Rec | null)?.httpBody ?? {}) as Rec;
  const name = [body.userName, (r.requestParameters as Rec | null)?.httpBody && !('userName' in body) ? body.displayName : undefined]
    .find((v) => typeof v === 'string' && v !== HIDDEN);
  const error = r.errorCode ? ` error=${String(r.errorCode)}` : '';
  const source = String(r.eventSource ?? r.eventType).replace('.amazonaws.com', '');
  return `${String(r.eventTime).slice(5, 19).replace('T', ' ')} ${source} ${String(r.eventName ?? '')}${ids.length ? ` ${ids.join(' ')}` : ''}` +
    `${name ? ` name=${String(name)}` : ''}${error} [ev ${String(r.eventID).slice(0, 8)}]`;
}

/** What --principal may be given for a story: names (one in another case), IDs, and a name no event shows. */
export function principalQueries(story: Story): string[] {
  const queries = story.principals.flatMap((p) => [p.name, ...p.ids]);
  const first = story.principals[0]!;
  queries.push(first.name.toUpperCase(), 'nobody@example.com');
  return queries;
}
