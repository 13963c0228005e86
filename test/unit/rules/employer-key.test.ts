import { employerKey } from '../../../src/domain/rules/employer-key';
import { codesOf, valueOf, warningsOf } from './helpers';

const NONE: ReadonlySet<string> = new Set();

describe('employerKey', () => {
  it('uses the USC code when there is one and derives the org code from positions 9–17', () => {
    expect(valueOf(employerKey('91350100M000100Y43', 'M000100Y-4', NONE))).toEqual({
      key: '91350100M000100Y43',
      source: 'usc',
      orgCode: 'M000100Y4',
    });
  });

  it('ignores (does not validate) the org code when a USC code is present', () => {
    expect(valueOf(employerKey('91350100M000100Y43', 'garbage', NONE)).key).toBe('91350100M000100Y43');
  });

  it('rejects a bad USC code with its own reason even when a valid org code is present', () => {
    expect(codesOf(employerKey('91350100M000100Y44', 'M000100Y-4', NONE))).toEqual(['usc_code.checksum']);
  });

  it('falls back to the org code when the USC column is blank', () => {
    expect(valueOf(employerKey('\u3000', 'D2143569-X', NONE))).toEqual({ key: 'D2143569X', source: 'org', orgCode: 'D2143569X' });
    expect(valueOf(employerKey(null, 'D2143569X', NONE)).key).toBe('D2143569X');
  });

  it('rejects an invalid fallback org code with its reason', () => {
    expect(codesOf(employerKey(null, 'D2143569-1', NONE))).toEqual(['org_code.checksum']);
  });

  it('rejects a row with neither code as org_code.format', () => {
    expect(codesOf(employerKey(null, ' ', NONE))).toEqual(['org_code.format']);
  });

  it('passes on the USC exception warning', () => {
    expect(warningsOf(employerKey('91350100M0001TGQXM', null, new Set(['91350100M0001TGQXM'])))).toEqual(['usc_code.exception']);
  });
});
