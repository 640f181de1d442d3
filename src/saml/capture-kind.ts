import { isObject } from '../event.js';

/**
 * Whether a JSON value is a browser's HAR export or a SAML-tracer export, by its shape: `sso-logs saml` reads
 * them, and scan recognises them to skip them (this module stays small: the reader's worker bundle loads it).
 */
export function captureKind(value: unknown): 'har' | 'saml-tracer' | undefined {
  if (!isObject(value)) return undefined;
  if (isObject(value.log) && Array.isArray(value.log.entries)) return 'har';
  if (Array.isArray(value.requests) && (typeof value.timestamp === 'string' || value.requests.some((r) => isObject(r) && ('saml' in r || 'post' in r)))) return 'saml-tracer';
  return undefined;
}
