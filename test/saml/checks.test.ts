import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IdentityDirectory } from '../../src/identity-store.js';
import type { Finding } from '../../src/match/types.js';
import { samlFacts } from '../../src/saml/assertion.js';
import { ABAC_PREFIX, checkResponse, SAML_CHECKS } from '../../src/saml/checks.js';
import { readCapture } from '../../src/saml/input.js';
import { parseXml } from '../../src/saml/xml.js';
import { ACS, AUDIENCE, formValue, har, IDP, samlResponse, samlTracerExport, type ResponseOptions } from '../support/saml-samples.js';

const ROOT = join(import.meta.dirname, '../..');
const UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';

function directory(users: [string, string][] = []): IdentityDirectory {
  const d = new IdentityDirectory();
  d.given = users.length > 0;
  for (const [id, name] of users) d.add({ id, name, kind: 'USER' });
  return d;
}

function check(input: string | Buffer, dir = directory()): Finding[] {
  const capture = readCapture(Buffer.isBuffer(input) ? input : Buffer.from(input));
  return capture.responses.flatMap((r) => checkResponse(samlFacts(parseXml(r.xml), r.xml, r.postedTo), { directory: dir }));
}
const brief = (findings: Finding[]) => findings.map((f) => ({ check: f.matcher, details: f.details }));
const ids = (o: ResponseOptions, dir?: IdentityDirectory) => check(samlResponse(o), dir).map((f) => f.matcher);

describe('the samples', () => {
  const sample = (name: string) => readFileSync(join(ROOT, 'samples/saml', name));
  const users = directory([['1446250c-89d0-310e-4113-bb39429e37c0', 'jdoe@example.com']]);

  it('signin.har is right: no finding, with or without a listing', () => {
    expect(check(sample('signin.har'))).toEqual([]);
    expect(check(sample('signin.har'), users)).toEqual([]);
  });

  it('signin-nameid-not-email.har: the NameID "jdoe" is not an address, and (with a listing) no user has it', () => {
    const found = check(sample('signin-nameid-not-email.har'));
    expect(brief(found)).toEqual([{ check: 'saml-nameid-not-email', details: { nameId: 'jdoe' } }]);
    expect(found[0]).toMatchObject({
      severity: 'error', principal: 'jdoe', region: 'us-east-1', time: '2024-10-10T13:20:00.000Z', eventName: 'SAMLResponse',
      eventIds: ['_c4a1e0b8d2f64b7a9e3f5d1c8b7a6e5f4d3c2b1a0f'], account: null,
      docUrl: 'https://docs.aws.amazon.com/singlesignon/latest/userguide/troubleshooting.html#issue8',
    });
    expect(brief(check(sample('signin-nameid-not-email.har'), users))).toEqual([
      { check: 'saml-nameid-not-email', details: { nameId: 'jdoe' } },
      { check: 'saml-nameid-unknown-user', details: { nameId: 'jdoe', nearMatches: [] } },
    ]);
  });

  it('the SAML-tracer export reads the same response as the HAR', () => {
    const facts = (bytes: Buffer) => readCapture(bytes).responses.map((r) => samlFacts(parseXml(r.xml), r.xml, r.postedTo));
    expect(facts(sample('signin.saml-tracer.json'))).toEqual(facts(sample('signin.har')));
    const [f] = facts(sample('signin.har'));
    expect(f).toMatchObject({
      issuer: IDP, nameId: 'jdoe@example.com', nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', audiences: [AUDIENCE],
      recipients: [ACS], destination: ACS, postedTo: ACS, notBefore: '2024-10-10T13:19:30Z', notOnOrAfter: '2024-10-10T13:25:00Z',
      responseSigned: true, assertionSigned: true, assertions: 1, encryptedAssertions: 0, status: 'urn:oasis:names:tc:SAML:2.0:status:Success',
    });
    expect(f!.attributes.map((a) => [a.name, a.values])).toEqual([[`${ABAC_PREFIX}CostCenter`, ['4242']], [`${ABAC_PREFIX}Department`, ['data-engineering']]]);
  });
});

describe('each check', () => {
  it('has an id of its own, a guide anchor on the live page, and a remedy', () => {
    expect(new Set(SAML_CHECKS.map((c) => c.id)).size).toBe(SAML_CHECKS.length);
    for (const c of SAML_CHECKS) {
      expect(c.id).toMatch(/^saml-[a-z-]+$/);
      expect(c.docUrl).toBe('https://docs.aws.amazon.com/singlesignon/latest/userguide/troubleshooting.html#issue8');
      expect(c.remediation.length).toBeGreaterThan(20);
    }
  });

  it('NameID format: emailAddress as AWS spells it, not the typo name:tc, nor another format', () => {
    expect(brief(check(samlResponse({ format: UNSPECIFIED })))).toEqual([{ check: 'saml-nameid-format', details: { format: UNSPECIFIED, expected: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress' } }]);
    expect(ids({ format: 'urn:oasis:name:tc:SAML:1.1:nameid-format:emailAddress' })).toEqual(['saml-nameid-format']);
    expect(ids({ format: null })).toEqual(['saml-nameid-format']);
  });

  it('NameID an address of the form user@domain', () => {
    for (const good of ['jdoe@example.com', 'j.doe+aws@mail.example.co.uk', "o'brien@example.com"]) expect(ids({ nameId: good })).toEqual([]);
    for (const bad of ['jdoe', 'EXAMPLE\\jdoe', 'jdoe@', '@example.com', 'j doe@example.com', 'jdoe@example', 'j..doe@example.com', '00u1a2b3c4d5e6f7g8h9']) {
      expect(ids({ nameId: bad }), bad).toEqual(['saml-nameid-not-email']);
    }
  });

  it('with listings, the NameID is a UserName exactly; a near match is named', () => {
    const users = directory([['id-1', 'jdoe@example.com'], ['id-2', 'asmith@example.com']]);
    expect(ids({}, users)).toEqual([]);
    expect(brief(check(samlResponse({ nameId: 'JDoe@Example.com' }), users))).toEqual([{
      check: 'saml-nameid-unknown-user',
      details: { nameId: 'JDoe@Example.com', nearMatches: [{ userName: 'jdoe@example.com', userId: 'id-1', how: 'differs only in case' }] },
    }]);
    expect(check(samlResponse({ nameId: 'JDoe@Example.com' }), users)[0]!.message).toBe('no user has the user name "JDoe@Example.com" exactly; near: "jdoe@example.com" (id-1: differs only in case)');
    expect(brief(check(samlResponse({ nameId: 'new.hire@example.com' }), users))).toEqual([{ check: 'saml-nameid-unknown-user', details: { nameId: 'new.hire@example.com', nearMatches: [] } }]);
    // without a listing the check does not run
    expect(ids({ nameId: 'new.hire@example.com' })).toEqual([]);
  });

  it('exactly one assertion, not encrypted', () => {
    expect(brief(check(samlResponse({ assertions: 2 })))).toEqual([{ check: 'saml-assertion-count', details: { assertions: 2 } }]);
    expect(brief(check(samlResponse({ assertions: 0 })))).toEqual([{ check: 'saml-assertion-count', details: { assertions: 0 } }]);
    expect(brief(check(samlResponse({ encrypted: true })))).toEqual([{ check: 'saml-encrypted-assertion', details: { encryptedAssertions: 1 } }]);
  });

  it('attributes for access control: at most 50, one value, one of each name, text, a SAML Name format', () => {
    const attr = (key: string, values = ['v'], format?: string): [string, string[], string?] => (format === undefined ? [`${ABAC_PREFIX}${key}`, values] : [`${ABAC_PREFIX}${key}`, values, format]);
    const fifty = Array.from({ length: 50 }, (_, i) => attr(`K${i}`));
    expect(ids({ attributes: fifty })).toEqual([]);
    expect(brief(check(samlResponse({ attributes: [...fifty, attr('K50')] })))).toEqual([{ check: 'saml-abac-attribute-count', details: { attributes: 51 } }]);
    expect(brief(check(samlResponse({ attributes: [attr('Teams', ['a', 'b'])] })))).toEqual([{ check: 'saml-abac-multi-valued', details: { attribute: `${ABAC_PREFIX}Teams`, values: 2 } }]);
    expect(brief(check(samlResponse({ attributes: [attr('Dept'), attr('Dept')] })))).toEqual([{ check: 'saml-abac-duplicate-name', details: { attribute: `${ABAC_PREFIX}Dept`, times: 2 } }]);
    const structured = `<saml:Attribute Name="${ABAC_PREFIX}Manager"><saml:AttributeValue><x:Person xmlns:x="urn:x"><x:Name>A</x:Name></x:Person></saml:AttributeValue></saml:Attribute>`;
    expect(brief(check(samlResponse({ attributes: [], rawAttributes: structured })))).toEqual([{ check: 'saml-abac-structured-value', details: { attribute: `${ABAC_PREFIX}Manager` } }]);
    for (const format of ['urn:oasis:names:tc:SAML:2.0:attrname-format:basic', 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri']) expect(ids({ attributes: [attr('Dept', ['v'], format)] })).toEqual([]);
    expect(brief(check(samlResponse({ attributes: [attr('Dept', ['v'], 'urn:example:custom-format')] })))).toEqual([{ check: 'saml-abac-name-format', details: { attribute: `${ABAC_PREFIX}Dept`, nameFormat: 'urn:example:custom-format' } }]);
    // other attributes are not attributes for access control: not counted, multi-valued allowed
    expect(ids({ attributes: [['https://aws.amazon.com/SAML/Attributes/Role', ['a', 'b']], ['groups', ['x', 'y']]] })).toEqual([]);
  });

  it('the assertion at most 50,000 characters (with attributes for access control)', () => {
    const long = 'x'.repeat(50_000);
    const found = check(samlResponse({ attributes: [[`${ABAC_PREFIX}Notes`, [long]]] }));
    expect(found.map((f) => f.matcher)).toEqual(['saml-assertion-size']);
    expect(found[0]!.details.characters).toBeGreaterThan(50_000);
    expect(ids({ attributes: [['description', [long]]] })).toEqual([]);
  });

  it('the validity window, against the response\'s own IssueInstant', () => {
    expect(ids({ issueInstant: '2024-10-10T13:19:00Z' })).toEqual(['saml-validity-window']);
    expect(brief(check(samlResponse({ issueInstant: '2024-10-10T13:19:00Z' })))).toEqual([{ check: 'saml-validity-window', details: { issueInstant: '2024-10-10T13:19:00Z', notBefore: '2024-10-10T13:19:30Z' } }]);
    expect(ids({ issueInstant: '2024-10-10T13:25:00Z' })).toEqual(['saml-validity-window', 'saml-validity-window']);
    expect(ids({ issueInstant: '2024-10-10T13:24:59.999Z' })).toEqual([]);
    expect(ids({ issueInstant: '2024-10-10T15:20:00+02:00' })).toEqual([]);
  });

  it('the Destination and Recipient, against the ACS URL forms AWS documents (the tenant is never compared with the d- ID)', () => {
    for (const acs of [ACS, 'https://eu-west-1.sso.signin.aws/platform/saml/acs/3f2b9c1e-7a4d-4e8b-9c61-0d5e2a7b8f13', 'https://ap-southeast-2.signin.aws.amazon.com/platform/saml/acs/3f2b9c1e-7a4d-4e8b-9c61-0d5e2a7b8f13']) {
      expect(ids({ destination: acs, recipient: acs }), acs).toEqual([]);
    }
    expect(brief(check(samlResponse({ destination: 'https://signin.aws.amazon.com/saml', recipient: 'https://signin.aws.amazon.com/saml' })))).toEqual([
      { check: 'saml-destination', details: { destination: 'https://signin.aws.amazon.com/saml' } },
      { check: 'saml-destination', details: { recipient: 'https://signin.aws.amazon.com/saml' } },
    ]);
    const other = 'https://us-east-1.signin.aws/platform/saml/acs/00000000-0000-0000-0000-000000000000';
    expect(brief(check(samlResponse({ recipient: other })))).toEqual([{ check: 'saml-destination', details: { recipient: other, destination: ACS } }]);
    // posted to another ACS URL than the response names
    expect(brief(check(har(samlResponse({ destination: other, recipient: other }))))).toEqual([
      { check: 'saml-destination', details: { destination: other, postedTo: ACS } },
      { check: 'saml-destination', details: { recipient: other, postedTo: ACS } },
    ]);
    expect(ids({ destination: null })).toEqual([]);
  });
});

describe('inputs', () => {
  const xml = samlResponse({ nameId: 'jdoe' });
  const base64 = Buffer.from(xml).toString('base64');
  const expected = [{ check: 'saml-nameid-not-email', details: { nameId: 'jdoe' } }];

  it('the XML, with or without a byte order mark, and an assertion alone', () => {
    expect(brief(check(xml))).toEqual(expected);
    expect(brief(check(`\uFEFF${xml}`))).toEqual(expected);
    const assertion = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)![0].replace('<saml:Assertion ', '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ');
    expect(brief(check(assertion))).toEqual(expected);
    expect(readCapture(Buffer.from(assertion)).kind).toBe('xml');
  });

  it('the base64 value: plain, URL-encoded, wrapped, with its field name', () => {
    expect(base64).toMatch(/[+/]/);
    for (const value of [base64, encodeURIComponent(base64), base64.replace(/(.{76})/g, '$1\n'), `SAMLResponse=${formValue(xml)}`]) {
      expect(readCapture(Buffer.from(value)).kind).toBe('base64');
      expect(brief(check(value))).toEqual(expected);
    }
  });

  it('a HAR with postData.params or postData.text only, and a SAML-tracer export', () => {
    expect(readCapture(Buffer.from(har(xml))).kind).toBe('har');
    expect(brief(check(har(xml)))).toEqual(expected);
    expect(brief(check(har(xml, { params: false })))).toEqual(expected);
    expect(readCapture(Buffer.from(samlTracerExport(xml))).kind).toBe('saml-tracer');
    expect(brief(check(samlTracerExport(xml)))).toEqual(expected);
  });

  it('a HAR posting to another service provider too: the Identity Center ACS one is checked, the other counted', () => {
    const capture = JSON.parse(har(xml));
    const other = structuredClone(capture.log.entries[2]);
    other.request.url = 'https://app.example.com/saml/acs';
    capture.log.entries.push(other);
    const read = readCapture(Buffer.from(JSON.stringify(capture)));
    expect(read.responses).toHaveLength(1);
    expect(read.otherResponses).toBe(1);
  });

  it('what holds no response says so, with a code', () => {
    const codeOf = (text: string) => { try { readCapture(Buffer.from(text)); return 'none'; } catch (e) { return (e as { code: string }).code; } };
    expect(codeOf(JSON.stringify({ log: { entries: [] } }))).toBe('SAML_NOT_FOUND');
    expect(codeOf(JSON.stringify({ Records: [] }))).toBe('SAML_NOT_FOUND');
    expect(codeOf('')).toBe('EMPTY_INPUT');
    expect(codeOf(' \n')).toBe('EMPTY_INPUT');
    expect(codeOf('not base64!')).toBe('SAML_NOT_XML');
    expect(codeOf(Buffer.from('plain text, not XML').toString('base64'))).toBe('SAML_NOT_XML');
  });
});
