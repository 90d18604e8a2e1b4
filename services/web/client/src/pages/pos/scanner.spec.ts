import { describe, expect, test } from '@jest/globals';
import { createScanDetector } from './scanner';

/** Types `text` starting at `from`, one key every `gapMs`, then Enter after the same gap. */
function type(detector: ReturnType<typeof createScanDetector>, text: string, from: number, gapMs: number) {
  let at = from;
  for (const key of text) {
    expect(detector.key(key, at)).toBeNull();
    at += gapMs;
  }
  return detector.key('Enter', at);
}

describe('the scan detector', () => {
  const options = { maxGapMs: 35, minLength: 6, maxLength: 64 };

  test('a fast burst ended by Enter is a scan', () => {
    const detector = createScanDetector(options);
    expect(type(detector, '4006381333931', 1_000, 8)).toBe('4006381333931');
  });

  test('keys typed at human speed are not a scan', () => {
    const detector = createScanDetector(options);
    expect(type(detector, '4006381333931', 1_000, 120)).toBeNull();
  });

  test('a slow start does not spoil the scan that follows it', () => {
    const detector = createScanDetector(options);
    expect(detector.key('x', 0)).toBeNull();
    expect(type(detector, '12345678', 500, 5)).toBe('12345678');
  });

  test('a short burst, a long one and a burst broken by a control key are not scans', () => {
    const detector = createScanDetector(options);
    expect(type(detector, '12345', 0, 5)).toBeNull();
    expect(type(detector, '9'.repeat(65), 1_000, 5)).toBeNull();
    expect(detector.key('1', 5_000)).toBeNull();
    expect(detector.key('2', 5_005)).toBeNull();
    expect(detector.key('Backspace', 5_010)).toBeNull();
    expect(type(detector, '3456', 5_015, 5)).toBeNull();
  });

  test('Shift between the characters of a scan is ignored', () => {
    const detector = createScanDetector(options);
    let at = 0;
    for (const key of ['A', 'Shift', 'B', 'C', 'Shift', 'D', '1', '2']) {
      expect(detector.key(key, at)).toBeNull();
      at += 4;
    }
    expect(detector.key('Enter', at)).toBe('ABCD12');
  });

  test('Enter after a pause is a person pressing it, not the end of a scan', () => {
    const detector = createScanDetector(options);
    let at = 0;
    for (const key of '12345678') {
      detector.key(key, at);
      at += 5;
    }
    expect(detector.key('Enter', at + 500)).toBeNull();
  });
});
