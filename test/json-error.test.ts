/**
 * JSON errors in sso-logs' own words (issue 15): the same text under every Node version, whatever the engine's
 * wording (Node 24 adds "(line 1 column N)" to Node 20's). Each case is parsed by the running engine.
 */
import { describe, expect, it } from 'vitest';
import { describeJsonError } from '../src/errors.js';

function said(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return describeJsonError(text, error);
  }
  throw new Error(`${text} parsed`);
}

describe('describeJsonError', () => {
  it('says what is at the place JSON.parse stopped, in the same words on every engine', () => {
    expect(said('{"a":"x\u0000"}')).toBe('a raw control character (U+0000) inside a string at character 8');
    expect(said('{"a":"x\ty"}')).toBe('a raw control character (U+0009) inside a string at character 8');
    expect(said('{"a":1,}')).toBe("unexpected character '}' at character 8");
    expect(said('{a:1}')).toBe("unexpected character 'a' at character 2");
    expect(said('[1,2]x')).toBe("unexpected character 'x' at character 6");
    expect(said('{"a":1')).toBe('the JSON ends before its value is complete');
    expect(said('')).toBe('the JSON ends before its value is complete');
    expect(said('{"a":tru}')).toBe("unexpected character '}'");
    expect(said('{"a":1 \u00e9}')).toBe('unexpected character U+00E9 at character 8');
  });

  it('never passes on the engine\'s text', () => {
    for (const text of ['{"a":"x\u0000"}', '{"a":1,}', '{a:1}', '[1,2]x', '{"a":1', '{"a":tru}']) {
      expect(said(text)).not.toMatch(/JSON at position|line \d+ column|is not valid JSON|Unexpected/);
    }
  });
});
