import type { IdentityDirectory } from '../identity-store.js';
import { GUIDE, type Finding, type Severity } from '../match/types.js';
import type { SamlFacts } from './assertion.js';
import { ACS_URL } from './input.js';

/** The spelling of AWS's page for other identity providers (the troubleshooting page's copy reads `name:tc`). */
export const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
/** The attribute names that carry attributes for access control. */
export const ABAC_PREFIX = 'https://aws.amazon.com/SAML/Attributes/AccessControl:';
export const MAX_ABAC_ATTRIBUTES = 50;
export const MAX_ASSERTION_CHARS = 50_000;
/** The Name formats SAML 2.0 specifies (saml-core section 8.2). */
export const SAML_NAME_FORMATS = [
  'urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified',
  'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
  'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
];
const EXTERNAL_IDP = `${GUIDE}#issue8`;

export interface CheckContext {
  directory: IdentityDirectory;
}

/** One problem a check found: the message and the facts behind it. */
export interface CheckResult {
  message: string;
  details: Record<string, unknown>;
}

/** A check of a SAML response, as data: like a matcher, it has an id, a title, a severity, a guide link and a remedy. */
export interface SamlCheck {
  id: string;
  title: string;
  severity: Severity;
  docUrl: string;
  remediation: string;
  /** What it needs to run (`--identity-store` listings), when not everything is given. */
  requires?: 'identity-store';
  check(facts: SamlFacts, context: CheckContext): CheckResult[];
}

// RFC 2822's addr-spec in its dot-atom form (user@domain), which is what a user name that is an address looks like.
const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const ADDRESS = new RegExp(`^${ATOM}(\\.${ATOM})*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$`);

const abac = (facts: SamlFacts) => facts.attributes.filter((a) => a.name.startsWith(ABAC_PREFIX));
const key = (name: string) => name.slice(ABAC_PREFIX.length);

function instant(value: string | null): number | undefined {
  if (value === null || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export const SAML_CHECKS: readonly SamlCheck[] = [
  {
    id: 'saml-assertion-count',
    title: 'The response does not carry exactly one assertion',
    severity: 'error',
    docUrl: EXTERNAL_IDP,
    remediation: 'Configure the identity provider to send one (unencrypted) assertion per response: IAM Identity Center reads neither several assertions nor none.',
    check: (f) => (f.assertions === 1 || (f.assertions === 0 && f.encryptedAssertions > 0)
      ? []
      : [{ message: `the response carries ${f.assertions} assertions; IAM Identity Center takes exactly one`, details: { assertions: f.assertions } }]),
  },
  {
    id: 'saml-encrypted-assertion',
    title: 'The assertion is encrypted',
    severity: 'error',
    docUrl: EXTERNAL_IDP,
    remediation: 'Turn off assertion encryption for the IAM Identity Center application at the identity provider: encrypted assertions are not supported.',
    check: (f) => (f.encryptedAssertions
      ? [{ message: `the response carries ${f.encryptedAssertions} EncryptedAssertion element${f.encryptedAssertions === 1 ? '' : 's'}, which IAM Identity Center cannot read`, details: { encryptedAssertions: f.encryptedAssertions } }]
      : []),
  },
  {
    id: 'saml-nameid-format',
    title: 'The NameID format is not emailAddress',
    severity: 'error',
    docUrl: EXTERNAL_IDP,
    remediation: `Set the identity provider's NameID format for IAM Identity Center to ${EMAIL_FORMAT}.`,
    check: (f) => (f.assertions === 1 && f.nameIdFormat !== EMAIL_FORMAT
      ? [{ message: f.nameIdFormat === null ? `the NameID has no Format; IAM Identity Center expects ${EMAIL_FORMAT}` : `the NameID format is ${f.nameIdFormat}, not ${EMAIL_FORMAT}`, details: { format: f.nameIdFormat, expected: EMAIL_FORMAT } }]
      : []),
  },
  {
    id: 'saml-nameid-not-email',
    title: 'The NameID is not an email address',
    severity: 'error',
    docUrl: EXTERNAL_IDP,
    remediation: 'Send as NameID the user name of the IAM Identity Center user, in the form user@domain (map the attribute the user names are provisioned from, not an employee number or an object ID).',
    check: (f) => (f.assertions === 1 && (f.nameId === null || !ADDRESS.test(f.nameId))
      ? [{ message: f.nameId === null ? 'the assertion has no NameID' : `the NameID ${JSON.stringify(f.nameId)} is not an address of the form user@domain`, details: { nameId: f.nameId } }]
      : []),
  },
  {
    id: 'saml-nameid-unknown-user',
    title: 'No IAM Identity Center user has the NameID as user name',
    severity: 'error',
    docUrl: EXTERNAL_IDP,
    remediation: 'Make the NameID equal the UserName of the Identity Center user exactly (the match is on the user name, not the email), or provision the user first: IAM Identity Center does not create users when they sign in.',
    requires: 'identity-store',
    check: (f, { directory }) => {
      if (f.assertions !== 1 || f.nameId === null || !directory.given) return [];
      const near = [...new Set([f.nameId, f.nameId.trim()])].flatMap((n) => directory.idsOf(n)).filter((e) => e.kind === 'USER');
      if (near.some((e) => e.name === f.nameId)) return [];
      const unique = [...new Map(near.map((e) => [e.id, e])).values()];
      if (!unique.length) {
        return [{ message: `no user in the --identity-store listings has the user name ${JSON.stringify(f.nameId)}`, details: { nameId: f.nameId, nearMatches: [] } }];
      }
      const described = unique.map((e) => {
        const how = e.name.toLowerCase() === f.nameId!.toLowerCase() ? 'differs only in case'
          : e.name === f.nameId!.trim() ? 'differs in white space around it' : 'is its display name, not its user name';
        return { userName: e.name, userId: e.id, how };
      });
      return [{
        message: `no user has the user name ${JSON.stringify(f.nameId)} exactly; near: ${described.map((d) => `${JSON.stringify(d.userName)} (${d.userId}: ${d.how})`).join('; ')}`,
        details: { nameId: f.nameId, nearMatches: described },
      }];
    },
  },
  {
    id: 'saml-abac-attribute-count',
    title: 'More than 50 attributes for access control',
    severity: 'error',
    docUrl: EXTERNAL_IDP,
    remediation: `Send at most ${MAX_ABAC_ATTRIBUTES} attributes named ${ABAC_PREFIX}<key>.`,
    check: (f) => (abac(f).length > MAX_ABAC_ATTRIBUTES
      ? [{ message: `the assertion carries ${abac(f).length} attributes for access control; at most ${MAX_ABAC_ATTRIBUTES} are taken`, details: { attributes: abac(f).length } }]
      : []),
  },
  {
    id: 'saml-abac-multi-valued',
    title: 'An attribute for access control has several values',
    severity: 'error',
    docUrl: EXTERNAL_IDP,
    remediation: 'Send each attribute for access control with one value (join a list into one string at the identity provider if it must travel).',
    check: (f) => abac(f).filter((a) => a.values.length > 1).map((a) => ({
      message: `the attribute for access control ${key(a.name)} has ${a.values.length} values; one is allowed`, details: { attribute: a.name, values: a.values.length },
    })),
  },
  {
    id: 'saml-abac-duplicate-name',
    title: 'An attribute for access control is sent twice',
    severity: 'error',
    docUrl: EXTERNAL_IDP,
    remediation: 'Send each attribute for access control once: remove the second mapping of the same key at the identity provider.',
    check: (f) => {
      const counts = new Map<string, number>();
      for (const a of abac(f)) counts.set(a.name, (counts.get(a.name) ?? 0) + 1);
      return [...counts].filter(([, n]) => n > 1).map(([name, n]) => ({
        message: `the attribute for access control ${key(name)} appears ${n} times`, details: { attribute: name, times: n },
      }));
    },
  },
  {
    id: 'saml-abac-structured-value',
    title: 'An attribute for access control holds XML, not text',
    severity: 'error',
    docUrl: EXTERNAL_IDP,
    remediation: 'Send attributes for access control as plain text values, with no XML elements inside the AttributeValue.',
    check: (f) => abac(f).filter((a) => a.structured).map((a) => ({
      message: `the attribute for access control ${key(a.name)} holds XML elements in its value`, details: { attribute: a.name },
    })),
  },
  {
    id: 'saml-abac-name-format',
    title: 'An attribute for access control has a Name format SAML does not specify',
    severity: 'error',
    docUrl: EXTERNAL_IDP,
    remediation: `Give attributes for access control one of SAML's Name formats: ${SAML_NAME_FORMATS.join(', ')} (or none, which means unspecified).`,
    check: (f) => abac(f).filter((a) => a.nameFormat !== null && !SAML_NAME_FORMATS.includes(a.nameFormat)).map((a) => ({
      message: `the attribute for access control ${key(a.name)} has the NameFormat ${JSON.stringify(a.nameFormat)}, not one SAML specifies`, details: { attribute: a.name, nameFormat: a.nameFormat },
    })),
  },
  {
    id: 'saml-assertion-size',
    title: 'The assertion is longer than 50,000 characters',
    severity: 'error',
    docUrl: EXTERNAL_IDP,
    remediation: 'Send fewer or shorter attributes: with attributes for access control, the assertion may be at most 50,000 characters.',
    check: (f) => (abac(f).length && f.assertionChars !== null && f.assertionChars > MAX_ASSERTION_CHARS
      ? [{ message: `the assertion is ${f.assertionChars.toLocaleString('en-US')} characters long; with attributes for access control at most ${MAX_ASSERTION_CHARS.toLocaleString('en-US')} are taken`, details: { characters: f.assertionChars } }]
      : []),
  },
  {
    id: 'saml-validity-window',
    title: 'The response was issued outside its own validity window',
    severity: 'error',
    docUrl: EXTERNAL_IDP,
    remediation: "Check the identity provider's clock and its assertion lifetime: the response must be issued within the assertion's NotBefore .. NotOnOrAfter window.",
    check: (f) => {
      const issued = instant(f.issueInstant);
      if (issued === undefined) return f.issueInstant === null ? [] : [{ message: `the IssueInstant ${JSON.stringify(f.issueInstant)} is not a SAML date-time`, details: { issueInstant: f.issueInstant } }];
      const out: CheckResult[] = [];
      const before = instant(f.notBefore);
      const after = instant(f.notOnOrAfter);
      const subjectAfter = instant(f.subjectNotOnOrAfter);
      if (before !== undefined && issued < before) out.push({ message: `issued at ${f.issueInstant}, before the assertion's NotBefore ${f.notBefore}`, details: { issueInstant: f.issueInstant, notBefore: f.notBefore } });
      if (after !== undefined && issued >= after) out.push({ message: `issued at ${f.issueInstant}, at or after the assertion's NotOnOrAfter ${f.notOnOrAfter}`, details: { issueInstant: f.issueInstant, notOnOrAfter: f.notOnOrAfter } });
      if (before !== undefined && after !== undefined && after <= before) out.push({ message: `the validity window is empty: NotOnOrAfter ${f.notOnOrAfter} is not after NotBefore ${f.notBefore}`, details: { notBefore: f.notBefore, notOnOrAfter: f.notOnOrAfter } });
      if (subjectAfter !== undefined && issued >= subjectAfter) out.push({ message: `issued at ${f.issueInstant}, at or after the subject confirmation's NotOnOrAfter ${f.subjectNotOnOrAfter}`, details: { issueInstant: f.issueInstant, subjectNotOnOrAfter: f.subjectNotOnOrAfter } });
      return out;
    },
  },
  {
    id: 'saml-destination',
    title: 'The Destination or Recipient is not the Identity Center ACS URL',
    severity: 'error',
    docUrl: EXTERNAL_IDP,
    remediation: "Copy the ACS URL from the IAM Identity Center console (Settings, Identity source) into the identity provider's application, whole: https://<region>.signin.aws/platform/saml/acs/<id> (or the sso.signin.aws / signin.aws.amazon.com form it shows).",
    check: (f) => {
      const out: CheckResult[] = [];
      for (const [label, url] of [['Destination', f.destination], ...f.recipients.map((r) => ['Recipient', r] as const)] as const) {
        if (url === null) continue;
        if (!ACS_URL.test(url)) out.push({ message: `the ${label} ${url} is not an IAM Identity Center ACS URL (https://<region>.signin.aws/platform/saml/acs/<id>, or the sso.signin.aws or signin.aws.amazon.com forms)`, details: { [label.toLowerCase()]: url } });
        else if (label === 'Recipient' && f.destination !== null && ACS_URL.test(f.destination) && url !== f.destination) out.push({ message: `the Recipient ${url} is not the response's Destination ${f.destination}`, details: { recipient: url, destination: f.destination } });
        else if (f.postedTo !== null && ACS_URL.test(f.postedTo) && url !== f.postedTo) out.push({ message: `the ${label} ${url} is not the ACS URL the browser posted the response to, ${f.postedTo}`, details: { [label.toLowerCase()]: url, postedTo: f.postedTo } });
      }
      return out;
    },
  },
];

export const SAML_CHECK_IDS = SAML_CHECKS.map((c) => c.id);

/** Runs every check on one response: findings in the project's shape, in the order of the checks. */
export function checkResponse(facts: SamlFacts, context: CheckContext): Finding[] {
  const time = instant(facts.issueInstant);
  const at = time === undefined ? null : new Date(time).toISOString();
  const region = ACS_URL.exec(facts.destination ?? facts.postedTo ?? '')?.[1] ?? null;
  return SAML_CHECKS.flatMap((check) => check.check(facts, context).map((result) => ({
    matcher: check.id,
    severity: check.severity,
    time: at,
    firstTime: at,
    principal: facts.nameId,
    account: null,
    region,
    eventName: 'SAMLResponse',
    sourceIp: null,
    eventIds: facts.responseId === null ? [] : [facts.responseId],
    message: result.message,
    remediation: check.remediation,
    docUrl: check.docUrl,
    details: result.details,
  })));
}
