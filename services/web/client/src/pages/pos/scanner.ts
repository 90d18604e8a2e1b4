// A barcode scanner is a keyboard that types very fast and ends with Enter. The till listens for
// such bursts anywhere on the page, so a scan works whatever has the focus, while a person typing
// at human speed into a field is left alone.

export interface ScanDetectorOptions {
  /** Longest pause between two keys of one scan; people rarely type faster than ~80 ms per key. */
  maxGapMs: number;
  /** Shortest code taken for a scan (EAN-8 is the shortest common barcode). */
  minLength: number;
  /** Longest code kept; the products API takes barcodes up to 64 characters. */
  maxLength: number;
}

export const defaultScanOptions: ScanDetectorOptions = { maxGapMs: 35, minLength: 6, maxLength: 64 };

export interface ScanDetector {
  /**
   * One keydown (`KeyboardEvent.key`) at `atMs`. Returns the scanned code when this key (Enter)
   * ends a fast burst, else null.
   */
  key(key: string, atMs: number): string | null;
  reset(): void;
}

const printable = /^[\x21-\x7e]$/;

export function createScanDetector(options: ScanDetectorOptions = defaultScanOptions): ScanDetector {
  let buffer = '';
  let lastAt = Number.NEGATIVE_INFINITY;
  const reset = () => {
    buffer = '';
    lastAt = Number.NEGATIVE_INFINITY;
  };
  return {
    key(key, atMs) {
      const fast = atMs - lastAt <= options.maxGapMs;
      if (key === 'Enter') {
        const code = fast && buffer.length >= options.minLength && buffer.length <= options.maxLength ? buffer : null;
        reset();
        return code;
      }
      // Modifier keys come with the characters a scanner types (Shift for capitals): no gap of their own.
      if (key === 'Shift' || key === 'Alt' || key === 'Control') return null;
      if (!printable.test(key)) {
        reset();
        return null;
      }
      // A slow key starts a new burst: what came before was typed by a person.
      // Past maxLength the burst is no barcode; one character more is enough to know that.
      if (!fast) buffer = key;
      else if (buffer.length <= options.maxLength) buffer += key;
      lastAt = atMs;
      return null;
    },
    reset,
  };
}
