import { isObject } from '../../event.js';

/** CloudTrail digest files (integrity validation) sit beside the logs in S3 and hold no events. */
export function isDigest(value: unknown): boolean {
  return isObject(value) && 'digestStartTime' in value && 'logFiles' in value;
}

/** Digest files are found by their path under `CloudTrail-Digest/`, so they are not even opened. */
export function isDigestPath(path: string): boolean {
  return /(^|[\\/])CloudTrail-Digest([\\/]|$)/.test(path) || /_CloudTrail-Digest_/.test(path);
}
