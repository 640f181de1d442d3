import { inflateRawSync } from 'node:zlib';
import { isObject } from '../event.js';
import { captureKind } from './capture-kind.js';
import { MAX_XML_CHARS, SamlInputError } from './xml.js';

/** Larger input is refused before it is parsed: a HAR of a sign-in is a few MB (saved without page content, less). */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

export type CaptureKind = 'har' | 'saml-tracer' | 'base64' | 'xml';

/** One SAML response found in the input: its XML, and the URL it was posted to when the capture shows it. */
export interface CapturedResponse {
  xml: string;
  /** The URL the browser posted the response to (scheme, host and path only: a query may hold tokens). */
  postedTo: string | null;
}

export interface Capture {
  kind: CaptureKind;
  responses: CapturedResponse[];
  /** SAML responses posted elsewhere than an Identity Center ACS URL, left out. */
  otherResponses: number;
}

/** The ACS URL forms AWS documents: `https://<region>.signin.aws/platform/saml/acs/<tenant>`, `<region>.sso.signin.aws`, and the older `<region>.signin.aws.amazon.com`. */
export const ACS_URL = /^https:\/\/([a-z]{2}(?:-[a-z]+)+-\d)\.(signin\.aws|sso\.signin\.aws|signin\.aws\.amazon\.com)\/platform\/saml\/acs\/([A-Za-z0-9-]+)\/?$/;

/** What to show of a URL: no query or fragment, which may carry tokens. */
export function urlWithoutQuery(url: string): string {
  return url.replace(/[?#].*$/s, '');
}

/** A value posted as `application/x-www-form-urlencoded`: `+` is a space, `%XX` a byte. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new SamlInputError('the SAMLResponse value is not valid URL encoding', 'SAML_NOT_XML');
  }
}

/**
 * A `SAMLResponse` value to its XML: URL-encoded or not, base64 with or without line breaks; the HTTP-Redirect
 * binding's raw DEFLATE is undone too (bounded), though a response normally comes by POST.
 */
export function decodeSamlResponse(value: string): string {
  let text = value.trim();
  if (/(?:^|&)SAMLResponse=/.test(text)) {
    // the form body as the browser posted it (`SAMLResponse=...&RelayState=...`, in any order): only that field
    text = new URLSearchParams(text).get('SAMLResponse') ?? '';
  } else if (/%[0-9A-Fa-f]{2}/.test(text)) text = formDecode(text);
  text = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) throw new SamlInputError('neither XML nor a base64 SAMLResponse value (characters outside base64)', 'SAML_NOT_XML');
  const bytes = Buffer.from(text, 'base64');
  let xml = bytes.toString('utf8');
  if (!xml.trimStart().startsWith('<')) {
    try {
      xml = inflateRawSync(bytes, { maxOutputLength: MAX_XML_CHARS + 1 }).toString('utf8');
    } catch {
      throw new SamlInputError('base64, but what it decodes to is not XML', 'SAML_NOT_XML');
    }
    if (!xml.trimStart().startsWith('<')) throw new SamlInputError('base64, but what it decodes to is not XML', 'SAML_NOT_XML');
  }
  return xml;
}

interface Posted {
  url: string;
  value: string;
}

/** `SAMLResponse` of a HAR entry's request: `postData.params`, else `postData.text` (URL-encoded form). Nothing else of the entry is read. */
function harPosts(value: Record<string, unknown>): Posted[] {
  const log = value.log;
  const entries = isObject(log) && Array.isArray(log.entries) ? log.entries : [];
  const out: Posted[] = [];
  for (const entry of entries) {
    const request = isObject(entry) ? entry.request : undefined;
    if (!isObject(request) || typeof request.url !== 'string') continue;
    const post = request.postData;
    if (!isObject(post)) continue;
    const params = Array.isArray(post.params) ? post.params : [];
    const param = params.find((p) => isObject(p) && p.name === 'SAMLResponse');
    if (isObject(param) && typeof param.value === 'string') {
      // HAR writers differ on whether params hold the raw or the URL-encoded value: decodeSamlResponse takes both.
      out.push({ url: request.url, value: param.value });
      continue;
    }
    if (typeof post.text === 'string') {
      const field = post.text.split('&').find((pair) => pair.startsWith('SAMLResponse='));
      if (field) out.push({ url: request.url, value: field.slice('SAMLResponse='.length) });
    }
  }
  return out;
}

/**
 * A SAML-tracer export (`{"requests": [...], "timestamp"}`, SAMLTraceIO.js): each request's `url`, `method` and
 * `post` (the POST parameters; read as [name, value] pairs or {name, value} objects) and `saml` (the decoded
 * message). Headers and cookies are never read.
 */
function tracerPosts(value: Record<string, unknown>): Posted[] {
  const out: Posted[] = [];
  for (const request of value.requests as unknown[]) {
    if (!isObject(request) || typeof request.url !== 'string') continue;
    const post = Array.isArray(request.post) ? request.post : [];
    const pair = post.map((p) => (Array.isArray(p) ? { name: p[0], value: p[1] } : isObject(p) ? { name: p.name, value: p.value } : {}))
      .find((p) => p.name === 'SAMLResponse' && typeof p.value === 'string');
    if (pair) out.push({ url: request.url, value: String(pair.value) });
    else if (typeof request.saml === 'string' && /<(\w+:)?Response[\s>]/.test(request.saml)) out.push({ url: request.url, value: request.saml });
  }
  return out;
}

/** Recognises the input and takes out the SAML responses it holds. */
export function readCapture(bytes: Buffer): Capture {
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new SamlInputError(`the input is ${bytes.length.toLocaleString('en-US')} bytes, more than ${MAX_INPUT_BYTES / 1024 / 1024} MiB: refused (a HAR of a sign-in is a few MB; save it without content, or give the SAMLResponse value alone)`, 'SAML_TOO_LARGE');
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const start = text.trimStart();
  if (!start) throw new SamlInputError('the input is empty', 'EMPTY_INPUT');
  if (start.startsWith('<')) return { kind: 'xml', responses: [{ xml: start, postedTo: null }], otherResponses: 0 };
  if (start.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(start);
    } catch {
      throw new SamlInputError('JSON that cannot be parsed: neither a HAR nor a SAML-tracer export', 'SAML_NOT_FOUND');
    }
    const kind = captureKind(value);
    if (!kind) throw new SamlInputError('JSON, but neither a HAR ({"log": {"entries": [...]}}) nor a SAML-tracer export ({"requests": [...]})', 'SAML_NOT_FOUND');
    const posts = kind === 'har' ? harPosts(value as Record<string, unknown>) : tracerPosts(value as Record<string, unknown>);
    if (!posts.length) {
      throw new SamlInputError(`a ${kind === 'har' ? 'HAR' : 'SAML-tracer export'} without a SAMLResponse posted anywhere: capture the sign-in from the identity provider's page until the AWS access portal opens`, 'SAML_NOT_FOUND');
    }
    // Identity Center's ACS first; a capture may hold responses to other service providers too.
    const toAws = posts.filter((p) => ACS_URL.test(urlWithoutQuery(p.url)));
    const chosen = toAws.length ? toAws : posts;
    return {
      kind,
      responses: chosen.map((p) => ({ xml: p.value.trimStart().startsWith('<') ? p.value.trimStart() : decodeSamlResponse(p.value), postedTo: urlWithoutQuery(p.url) })),
      otherResponses: posts.length - chosen.length,
    };
  }
  return { kind: 'base64', responses: [{ xml: decodeSamlResponse(start), postedTo: null }], otherResponses: 0 };
}

