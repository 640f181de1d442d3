import { child, childrenNamed, descendants, SamlInputError, type XmlElement } from './xml.js';

export interface SamlAttribute {
  name: string;
  nameFormat: string | null;
  values: string[];
  /** A value that holds XML elements rather than text. */
  structured: boolean;
}

/** What a SAML response (or an assertion alone) carries, as plain data: shown, and checked. */
export interface SamlFacts {
  /** `Response`, or `Assertion` when the input is an assertion alone. */
  root: 'Response' | 'Assertion';
  responseId: string | null;
  /** The response's IssueInstant (the assertion's when there is no response), as written. */
  issueInstant: string | null;
  destination: string | null;
  status: string | null;
  issuer: string | null;
  assertions: number;
  encryptedAssertions: number;
  nameId: string | null;
  nameIdFormat: string | null;
  audiences: string[];
  recipients: string[];
  notBefore: string | null;
  notOnOrAfter: string | null;
  /** SubjectConfirmationData NotOnOrAfter: until when the response may be delivered. */
  subjectNotOnOrAfter: string | null;
  attributes: SamlAttribute[];
  responseSigned: boolean;
  assertionSigned: boolean;
  /** Characters of the (first) assertion as written in the XML. */
  assertionChars: number | null;
  /** Where the capture shows the response was posted (null for a value or XML given alone). */
  postedTo: string | null;
}


const text = (element: XmlElement | undefined): string | null => (element && element.text !== '' ? element.text : null);
const attr = (element: XmlElement | undefined, name: string): string | null => element?.attrs[name] ?? null;

/** The first assertion's text as written: its length is what AWS's 50,000-character limit counts. */
function assertionLength(xml: string): number | null {
  const match = /<([\w.-]+:)?Assertion[\s>/][\s\S]*?<\/\1?Assertion\s*>/.exec(xml);
  return match ? match[0].length : null;
}

export function samlFacts(root: XmlElement, xml: string, postedTo: string | null): SamlFacts {
  if (root.name !== 'Response' && root.name !== 'Assertion') {
    throw new SamlInputError(`XML, but not a SAML response: its root element is ${root.name.slice(0, 64)}, not Response or Assertion`, 'SAML_NOT_RESPONSE');
  }
  const response = root.name === 'Response' ? root : undefined;
  const assertions = response ? childrenNamed(response, 'Assertion') : [root];
  const encrypted = response ? childrenNamed(response, 'EncryptedAssertion').length : 0;
  const assertion = assertions[0];
  const subject = child(assertion, 'Subject');
  const nameId = child(subject, 'NameID');
  const conditions = child(assertion, 'Conditions');
  const confirmations = childrenNamed(subject, 'SubjectConfirmation').flatMap((c) => childrenNamed(c, 'SubjectConfirmationData'));
  const statusCode = child(child(response, 'Status'), 'StatusCode');
  const attributes = assertion
    ? childrenNamed(assertion, 'AttributeStatement').flatMap((s) => childrenNamed(s, 'Attribute')).map((a) => {
      const values = childrenNamed(a, 'AttributeValue');
      return {
        name: attr(a, 'Name') ?? '',
        nameFormat: attr(a, 'NameFormat'),
        values: values.map((v) => v.text),
        structured: values.some((v) => v.children.length > 0),
      };
    })
    : [];
  return {
    root: response ? 'Response' : 'Assertion',
    responseId: attr(response, 'ID') ?? attr(assertion, 'ID'),
    issueInstant: attr(response, 'IssueInstant') ?? attr(assertion, 'IssueInstant'),
    destination: attr(response, 'Destination'),
    status: attr(statusCode, 'Value'),
    issuer: text(child(response, 'Issuer')) ?? text(child(assertion, 'Issuer')),
    assertions: assertions.length,
    encryptedAssertions: encrypted,
    nameId: text(nameId),
    nameIdFormat: attr(nameId, 'Format'),
    audiences: descendants(conditions ?? { name: '', attrs: {}, children: [], text: '' }, 'Audience').map((a) => a.text),
    recipients: confirmations.map((c) => attr(c, 'Recipient')).filter((r): r is string => r !== null),
    notBefore: attr(conditions, 'NotBefore'),
    notOnOrAfter: attr(conditions, 'NotOnOrAfter'),
    subjectNotOnOrAfter: confirmations.map((c) => attr(c, 'NotOnOrAfter')).find((t) => t !== null) ?? null,
    attributes,
    responseSigned: response ? childrenNamed(response, 'Signature').length > 0 : false,
    assertionSigned: assertion ? childrenNamed(assertion, 'Signature').length > 0 : false,
    assertionChars: assertion ? assertionLength(xml) : null,
    postedTo,
  };
}
