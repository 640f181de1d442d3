/**
 * SAML responses to IAM Identity Center as an administrator captures them (a browser's HAR export, a SAML-tracer
 * export), for samples/saml/ and the tests of `sso-logs saml`. The responses follow SAML 2.0's schema and the
 * values AWS documents (NameID format, ACS URL, attributes for access control); they are not signed (the
 * Signature element is a placeholder: sso-logs reports whether one is present, it does not verify it).
 */

export const ACS = 'https://us-east-1.signin.aws/platform/saml/acs/3f2b9c1e-7a4d-4e8b-9c61-0d5e2a7b8f13';
/** Identity Center's SAML entity ID (its "issuer URL"), ending in the identity store's d- ID: not the ACS tenant. */
export const AUDIENCE = 'https://us-east-1.signin.aws/platform/saml/d-9067a1b2c3';
export const IDP = 'https://idp.example.com/saml2/metadata';
export const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
/** Secrets a HAR holds beside the response: never to be printed. */
export const COOKIE_SECRET = 'sessionid=Zm9vYmFyc2VjcmV0Y29va2ll4242';
export const AUTH_SECRET = 'Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0dG9rZW4.4242';

export interface ResponseOptions {
  id?: string;
  nameId?: string;
  format?: string | null;
  destination?: string | null;
  recipient?: string;
  issueInstant?: string;
  notBefore?: string;
  notOnOrAfter?: string;
  /** [Name, values, NameFormat?] */
  attributes?: [string, string[], string?][];
  /** Raw XML put in the AttributeStatement as it is. */
  rawAttributes?: string;
  assertions?: number;
  encrypted?: boolean;
  signed?: boolean;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

export function samlResponse(o: ResponseOptions = {}): string {
  const id = o.id ?? '_8e8dc5f69a98cc4c1ff3427e5ce34606fd672f91e6';
  const issued = o.issueInstant ?? '2024-10-10T13:20:00Z';
  const format = o.format === undefined ? EMAIL_FORMAT : o.format;
  const destination = o.destination === undefined ? ACS : o.destination;
  const attributes = (o.attributes ?? [
    ['https://aws.amazon.com/SAML/Attributes/AccessControl:CostCenter', ['4242'], 'urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified'],
    ['https://aws.amazon.com/SAML/Attributes/AccessControl:Department', ['data-engineering']],
  ]).map(([name, values, nameFormat]) => `<saml:Attribute Name="${escape(name)}"${nameFormat ? ` NameFormat="${escape(nameFormat)}"` : ''}>${values.map((v) => `<saml:AttributeValue xsi:type="xs:string">${escape(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`).join('');
  const signature = (ref: string) => (o.signed === false ? '' : `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:Reference URI="#${ref}"/></ds:SignedInfo><ds:SignatureValue>c2lnbmF0dXJl</ds:SignatureValue></ds:Signature>`);
  const assertion = (n: number) => {
    const aid = `_a${n}${id.slice(2)}`;
    return `<saml:Assertion xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="${aid}" Version="2.0" IssueInstant="${issued}">` +
      `<saml:Issuer>${IDP}</saml:Issuer>${signature(aid)}` +
      `<saml:Subject><saml:NameID${format === null ? '' : ` Format="${escape(format)}"`}>${escape(o.nameId ?? 'jdoe@example.com')}</saml:NameID>` +
      `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${o.notOnOrAfter ?? '2024-10-10T13:25:00Z'}" Recipient="${escape(o.recipient ?? ACS)}"/></saml:SubjectConfirmation></saml:Subject>` +
      `<saml:Conditions NotBefore="${o.notBefore ?? '2024-10-10T13:19:30Z'}" NotOnOrAfter="${o.notOnOrAfter ?? '2024-10-10T13:25:00Z'}"><saml:AudienceRestriction><saml:Audience>${AUDIENCE}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
      `<saml:AuthnStatement AuthnInstant="${issued}" SessionIndex="${aid}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
      `<saml:AttributeStatement>${attributes}${o.rawAttributes ?? ''}</saml:AttributeStatement></saml:Assertion>`;
  };
  const body = o.encrypted
    ? '<saml:EncryptedAssertion><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"><xenc:CipherData><xenc:CipherValue>ZW5jcnlwdGVk</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData></saml:EncryptedAssertion>'
    : Array.from({ length: o.assertions ?? 1 }, (_, i) => assertion(i + 1)).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${issued}"${destination === null ? '' : ` Destination="${escape(destination)}"`}>` +
    `<saml:Issuer>${IDP}</saml:Issuer>${signature(id)}<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>${body}</samlp:Response>\n`;
}

/** The SAMLResponse form value as the browser posts it: base64, then URL-encoded. */
export function formValue(xml: string): string {
  return encodeURIComponent(Buffer.from(xml, 'utf8').toString('base64'));
}

/**
 * A HAR 1.2 export of a sign-in (as Chrome's and Firefox's developer tools save it): the IdP's page with its
 * session cookie, an API call with a bearer token, and the form POST of the SAMLResponse to the ACS URL.
 * `params` selects how the POST body is recorded: `postData.params` (Firefox) or `postData.text` only.
 */
export function har(xml: string, options: { params?: boolean; acs?: string } = {}): string {
  const value = formValue(xml);
  const text = `SAMLResponse=${value}&RelayState=${encodeURIComponent('https://portal.sso.us-east-1.amazonaws.com/saml/callback?token=relaystatesecret')}`;
  const header = (name: string, v: string) => ({ name, value: v });
  const response = { status: 200, statusText: 'OK', httpVersion: 'HTTP/2', headers: [], cookies: [], content: { size: 0, mimeType: 'text/html' }, redirectURL: '', headersSize: -1, bodySize: -1 };
  const timings = { send: 0, wait: 20, receive: 1 };
  return `${JSON.stringify({
    log: {
      version: '1.2',
      creator: { name: 'WebInspector', version: '537.36' },
      pages: [],
      entries: [
        {
          startedDateTime: '2024-10-10T13:19:58.000Z', time: 21,
          request: {
            method: 'GET', url: 'https://idp.example.com/app/aws/sso/saml', httpVersion: 'HTTP/2',
            headers: [header('Cookie', COOKIE_SECRET)], queryString: [], cookies: [{ name: 'sessionid', value: COOKIE_SECRET.split('=')[1] }], headersSize: -1, bodySize: 0,
          },
          response, cache: {}, timings,
        },
        {
          startedDateTime: '2024-10-10T13:19:59.000Z', time: 21,
          request: {
            method: 'POST', url: 'https://idp.example.com/api/v1/authn', httpVersion: 'HTTP/2',
            headers: [header('Authorization', AUTH_SECRET), header('Cookie', COOKIE_SECRET)], queryString: [], cookies: [], headersSize: -1, bodySize: 2,
            postData: { mimeType: 'application/json', text: '{}' },
          },
          response, cache: {}, timings,
        },
        {
          startedDateTime: '2024-10-10T13:20:00.500Z', time: 21,
          request: {
            method: 'POST', url: options.acs ?? ACS, httpVersion: 'HTTP/2',
            headers: [header('Content-Type', 'application/x-www-form-urlencoded'), header('Cookie', COOKIE_SECRET)], queryString: [], cookies: [], headersSize: -1, bodySize: text.length,
            postData: {
              mimeType: 'application/x-www-form-urlencoded', text,
              ...(options.params === false ? {} : { params: [{ name: 'SAMLResponse', value }, { name: 'RelayState', value: 'relaystatesecret' }] }),
            },
          },
          response, cache: {}, timings,
        },
      ],
    },
  }, null, 2)}\n`;
}

/**
 * A SAML-tracer export (SAMLTraceIO.js `exportRequests`: `{"requests": [...], "timestamp"}`, each request with
 * its `method`, `url`, `post` parameters as [name, value] pairs, `saml` (the decoded message) and headers).
 */
export function samlTracerExport(xml: string): string {
  return `${JSON.stringify({
    requests: [
      { requestId: '1001', method: 'GET', url: 'https://idp.example.com/app/aws/sso/saml', requestHeaders: [{ name: 'Cookie', value: COOKIE_SECRET }], responseStatus: 200, responseStatusText: 'HTTP/2 200', responseHeaders: [] },
      {
        requestId: '1002', method: 'POST', url: ACS, requestHeaders: [{ name: 'Cookie', value: COOKIE_SECRET }, { name: 'Authorization', value: AUTH_SECRET }],
        post: [['SAMLResponse', decodeURIComponent(formValue(xml))], ['RelayState', 'relaystatesecret']], saml: xml, protocol: 'SAML-P',
        responseStatus: 302, responseStatusText: 'HTTP/2 302', responseHeaders: [],
      },
    ],
    timestamp: '2024-10-10T13:21:00.000Z',
  }, null, 2)}\n`;
}

/** samlp/saml responses for samples/saml/: one right, and one whose NameID is not an email address. */
export function samlSamples(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  files.set('saml/signin.har', Buffer.from(har(samlResponse())));
  files.set('saml/signin-nameid-not-email.har', Buffer.from(har(samlResponse({ id: '_c4a1e0b8d2f64b7a9e3f5d1c8b7a6e5f4d3c2b1a0f', nameId: 'jdoe' }), { params: false })));
  files.set('saml/signin.saml-tracer.json', Buffer.from(samlTracerExport(samlResponse())));
  return files;
}
