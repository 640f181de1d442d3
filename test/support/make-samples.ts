/**
 * Writes samples/: small exports in every container the reader knows, following the published record shapes.
 * Run with `npm run samples`; the output is committed, and a test checks it is what this script writes.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  createAccountAssignment, digest, externalIdpFailure, Gen, insight, listUsers, lookupEvent, MEMBER_ACCOUNTS, noise, ORG_ACCOUNT,
  protectedRoleFailure, scimCreateGroup, scimCreateUser, scimDeleteGroup, scimDeleteUser, scimError, scimPatchUser, signinCredentialChallenge, signinStep,
  ssoCreateRole, updatePasswordFailure, updatePasswordFailureFor, type Rec,
} from './cloudtrail.js';
import { assignmentSamples } from './assignment-samples.js';
import { samlSamples } from './saml-samples.js';

/** The user whose story the samples tell: deleted and re-created by SCIM, so an assignment goes stale. */
export const SAMPLE_USER = 'jdoe@example.com';
export const LONG_NAME = 'maria.del.carmen.fernandez-gonzalez-y-rodriguez-de-la-fuente.external@example.com';

const T0 = Date.UTC(2024, 9, 10, 13, 0, 0);
const MIN = 60_000;

export function buildSamples(): Map<string, Buffer> {
  const g = new Gen(20241010);
  const files = new Map<string, Buffer>();
  const oldUser = g.storeId();
  const newUser = g.storeId();
  const longUser = g.storeId();
  const umlautUser = g.storeId();
  const role = 'AWSReservedSSO_DataEngineer_3f9a1c2b7d6e5a40';

  // S3 layout: one object per account, region and 5-minute window, records in no particular order.
  const objects: { account: string; region: string; at: number; records: Rec[] }[] = [];
  const object = (account: string, region: string, at: number, records: Rec[]) => objects.push({ account, region, at, records });
  for (let w = 0; w < 3; w++) {
    const at = T0 + w * 5 * MIN;
    const org: Rec[] = [];
    for (let i = 0; i < 12; i++) org.push(noise(g, at + g.int(5 * MIN), ORG_ACCOUNT, 'us-east-1'));
    if (w === 0) {
      org.push(scimCreateUser(g, at + 30_000, 'us-east-1', oldUser));
      org.push(createAccountAssignment(g, at + 90_000, 'us-east-1', oldUser, MEMBER_ACCOUNTS[0]!, 'ps-5a1b2c3d4e5f6a7b'));
      org.push(signinCredentialChallenge(g, at + 150_000, 'us-east-1', oldUser, 'jdoe@example.com'));
    }
    if (w === 1) {
      org.push(scimPatchUser(g, at + 10_000, 'us-east-1', oldUser));
      org.push(updatePasswordFailure(g, at + 60_000, 'us-east-1'));
      org.push(scimDeleteUser(g, at + 120_000, 'us-east-1', oldUser));
      // AWS's failed-password sequence (sign-in-events-examples.html#sign-in-events-examples-5): the user name only on
      // the CredentialChallenge, the failing CredentialVerification with the same AuthWorkflowID and no name. IAM
      // Identity Center re-issues the challenge after each failure; whether those repeat the name is not published
      // (here they do not).
      const workflow = g.uuid();
      for (let i = 0; i < 3; i++) {
        org.push(signinStep(g, at + 124_000 + i * 20_000, 'us-east-1', 'CredentialChallenge', i === 0 ? { workflow, userName: 'jsmith@corp.example.com' } : { workflow }));
        org.push(signinStep(g, at + 130_000 + i * 20_000, 'us-east-1', 'CredentialVerification', { workflow, outcome: 'Failure' }));
      }
      // A user name that matched no user: CloudTrail hides it (username-sign-in-cloudtrail-events.html); which step
      // fails then is not published.
      org.push(signinStep(g, at + 240_000, 'us-east-1', 'CredentialChallenge', { workflow: g.uuid(), userName: 'HIDDEN_DUE_TO_SECURITY_REASONS', outcome: 'Failure' }));
    }
    if (w === 2) {
      org.push(scimCreateUser(g, at + 20_000, 'us-east-1', newUser), insight(g, at + 40_000, ORG_ACCOUNT, 'us-east-1'));
      org.push(updatePasswordFailureFor(g, at + 60_000, 'us-east-1', longUser));
      org.push(updatePasswordFailureFor(g, at + 70_000, 'us-east-1', umlautUser, 'ValidationException', 'Password does not meet the password policy requirements'));
      org.push(externalIdpFailure(g, at + 90_000, 'us-east-1'), externalIdpFailure(g, at + 95_000, 'us-east-1'));
    }
    shuffle(g, org);
    object(ORG_ACCOUNT, 'us-east-1', at, org);

    const member: Rec[] = [];
    for (let i = 0; i < 8; i++) member.push(noise(g, at + g.int(5 * MIN), MEMBER_ACCOUNTS[0]!, w === 2 ? 'eu-west-1' : 'us-east-1'));
    if (w === 0) member.push(ssoCreateRole(g, at + 100_000, MEMBER_ACCOUNTS[0]!, 'us-east-1', role));
    if (w === 1) member.push(protectedRoleFailure(g, at + 200_000, MEMBER_ACCOUNTS[0]!, role));
    shuffle(g, member);
    object(MEMBER_ACCOUNTS[0]!, w === 2 ? 'eu-west-1' : 'us-east-1', at, member);
  }
  const logKeys: string[] = [];
  for (const o of objects) {
    const stamp = new Date(o.at).toISOString().replace(/[-:]/g, '').slice(0, 13) + 'Z';
    const day = new Date(o.at).toISOString().slice(0, 10).replace(/-/g, '/');
    const key = `AWSLogs/${o.account}/CloudTrail/${o.region}/${day}/${o.account}_CloudTrail_${o.region}_${stamp}_${g.hex(16).toUpperCase()}.json.gz`;
    logKeys.push(key);
    // S3 objects are one line of JSON (FIELDS.md section 5).
    files.set(`s3/${key}`, gzipSync(JSON.stringify({ Records: o.records })));
  }
  const digestKey = `AWSLogs/${ORG_ACCOUNT}/CloudTrail-Digest/us-east-1/2024/10/10/${ORG_ACCOUNT}_CloudTrail-Digest_us-east-1_org-trail_us-east-1_20241010T140000Z.json.gz`;
  files.set(`s3/${digestKey}`, gzipSync(JSON.stringify(digest(ORG_ACCOUNT, 'us-east-1', T0, logKeys.filter((k) => k.includes(ORG_ACCOUNT))))));

  // lookup-events: the CLI's pretty-printed page, newest first, with a NextToken.
  const lookup: Rec[] = [];
  for (let i = 0; i < 4; i++) lookup.push(updatePasswordFailure(g, T0 + (i * 7 + 3) * MIN, 'us-east-1'));
  lookup.sort((a, b) => String(b.eventTime).localeCompare(String(a.eventTime)));
  files.set('lookup-events/update-password.json', Buffer.from(`${JSON.stringify({ Events: lookup.map(lookupEvent), NextToken: 'eyJhbGciOiJIUzI1NiJ9.' + g.hex(48) }, null, 4)}\n`));

  // JSON Lines, as `jq -c '.Records[]'` writes them.
  const lines: Rec[] = [];
  for (let i = 0; i < 10; i++) lines.push(noise(g, T0 + g.int(20 * MIN), ORG_ACCOUNT, 'us-west-2'));
  // A group deleted and re-created a minute later: names are hidden, so only time pairs them.
  const oldGroup = g.storeId();
  lines.push(scimCreateGroup(g, T0 - 300 * MIN, 'us-east-1', oldGroup));
  lines.push(scimDeleteGroup(g, T0 + 21 * MIN, 'us-east-1', oldGroup), scimCreateGroup(g, T0 + 22 * MIN, 'us-east-1', g.storeId()));
  // An IdP sync that fails the same way every 40 minutes, and two other published SCIM errors.
  const missingName = "2 validation errors detected: Value at 'name.givenName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r  ]+; Value at 'name.givenName' failed to satisfy constraint: Member must have length greater than or equal to 1";
  for (let i = 0; i < 6; i++) lines.push(scimError(g, T0 - 200 * MIN + i * 40 * MIN, 'us-east-1', 'CreateUser', 'ValidationException', missingName));
  lines.push(scimError(g, T0 + 5 * MIN, 'us-east-1', 'CreateGroup', 'ConflictException', 'Duplicate GroupDisplayName'));
  lines.push(scimError(g, T0 + 6 * MIN, 'us-east-1', 'PatchUser', 'ValidationException', 'List attribute emails exceeds allowed limit of 1', umlautUser));
  files.set('jsonl/records.jsonl', Buffer.from(lines.map((r) => `${JSON.stringify(r)}\n`).join('')));

  // Identity Store listings taken before and after the re-creation: the same name, two IDs.
  files.set('identity-store/list-users-2024-10-01.json', Buffer.from(`${JSON.stringify(listUsers([{ id: oldUser, name: SAMPLE_USER }, { id: longUser, name: LONG_NAME }]), null, 4)}\n`));
  files.set('identity-store/list-users.json', Buffer.from(`${JSON.stringify(listUsers([{ id: newUser, name: SAMPLE_USER }, { id: longUser, name: LONG_NAME }, { id: umlautUser, name: 'jürgen.müller@example.com' }]), null, 4)}\n`));
  for (const [name, bytes] of assignmentSamples({ oldUser, newUser, longUser, umlautUser })) files.set(name, bytes);
  for (const [name, bytes] of samlSamples()) files.set(name, bytes);
  return files;
}

function shuffle<T>(g: Gen, items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = g.int(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const root = join(import.meta.dirname, '../../samples');
  rmSync(root, { recursive: true, force: true });
  for (const [name, bytes] of buildSamples()) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), bytes);
  }
  console.log(`wrote ${buildSamples().size} files under samples/`);
}
