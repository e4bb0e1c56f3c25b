// Parses a Graph collection page ({"@odata.context": ..., "@odata.nextLink": ..., "value": [...]})
// from its UTF-8 bytes as they arrive, a few dozen items at a time.
//
// Why: a 999-member page with license states is half a megabyte. Decoded as one string it lands
// in V8's large-object space, and on a small VM that allocation alone cost more than parsing the
// page (2.5 ms a page, 0.25 s for 100,000 members), besides pushing the old generation towards
// full collections. Cut at item boundaries into pieces of about 64 KB, the same bytes decode in a
// twentieth of the time and parse a little faster; parsing also overlaps the rest of the transfer.
//
// Inside "value" the bytes are not scanned one by one: items of a page start with the same key (for
// members, {"@odata.type":...), so the next cut is found with Buffer#indexOf of ',{"<that key>":'.
// A cut is kept only when the piece before it parses as an array of whole items, which proves it
// lies between two items (a piece that starts between items and parses ends between items; the
// two-byte '{"' cannot sit inside a JSON string). What follows the last cut is scanned byte by byte.
//
// The result is exactly what JSON.parse of the whole body gives. The scanner only tracks strings
// (with escapes) and nesting to find where items end; every piece is parsed by JSON.parse. Anything
// it does not expect (no top-level object, a "value" that is not an array, a key written with
// escapes, trailing bytes) makes it fall back to JSON.parse of the whole body, so a malformed page
// fails exactly as before.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Bytes of a key at depth 1 worth remembering: only "value" matters. */
const VALUE_KEY = Buffer.from('value');

export class PageParseError extends Error {
  constructor(cause: unknown) {
    super(`not JSON: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'PageParseError';
  }
}

export class PageParser {
  /** Every chunk, kept (not copied) for the fallback until the fast path has finished. */
  private readonly chunks: Buffer[] = [];
  private size = 0;
  /** The fast path gave up: the whole body is parsed at the end. */
  private fallback = false;

  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Top level: before the opening brace, inside the envelope, or after its closing brace. */
  private topState: 'before' | 'inside' | 'after' = 'before';

  // Keys at depth 1: the bytes of the last string that started at depth 1 (when short), and what
  // the next structural byte may mean.
  private keyBytes: number[] = [];
  private keyTooLong = false;
  private keyStart = false;
  private expect: 'none' | 'colon' | 'array' = 'none';
  private valueSeen = false;

  /** Inside the "value" array (depth 2 is the array's own level). */
  private inItems = false;
  /** Pieces of the current run of items (slices of chunks). */
  private run: Buffer[] = [];
  private runBytes = 0;
  private runStartInChunk = 0;
  /** The last item boundary was a comma we cut at (an empty run before "]" is then invalid). */
  private cutAtComma = false;

  /** The envelope without the items (slices of chunks): "value" becomes []. */
  private readonly envelope: Buffer[] = [];
  private envelopeStartInChunk = 0;

  private readonly items: unknown[] = [];

  /** Inside "value", between cuts: bytes are only searched for the next cut, not scanned. */
  private skipping = false;
  /** ',{"<first key of the first item>":' once known; null when there is none to use. */
  private cutPattern: Buffer | null | undefined;
  /** Candidate cuts whose piece did not parse: after a few, the rest is left to the final scan. */
  private failedCuts = 0;

  /**
   * @param onItems sees each run of items as soon as it is parsed, before the page is complete: a
   *   hint only (a page that turns out malformed, or is parsed whole after all, gives its items again at the end)
   */
  constructor(
    private readonly runTarget = 64 * 1024,
    private readonly onItems?: (items: unknown[]) => void,
  ) {}

  /** Set when a piece failed to parse: end() throws it (after the whole body was read, as before). */
  private error?: PageParseError;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.fallback || this.error) return;
    try {
      if (this.skipping) this.skip(chunk, 0);
      else this.scan(chunk);
    } catch (err) {
      if (err instanceof PageParseError) this.error = err;
      else this.fallback = true;
    }
  }

  /** True when end() parsed the body in pieces (false: the whole body, the fallback). */
  inPieces = false;

  /** The parsed page: what JSON.parse of all the bytes pushed would give. Throws PageParseError. */
  end(): unknown {
    if (this.skipping && !this.fallback && !this.error) this.scanRest();
    if (this.error) throw this.error;
    if (!this.fallback && this.topState === 'after' && !this.inString) {
      this.inPieces = true;
      const env = parse(this.envelope.length === 1 ? this.envelope[0]!.toString('utf8') : Buffer.concat(this.envelope).toString('utf8')) as Record<string, unknown>;
      if (this.valueSeen) env.value = this.items;
      return env;
    }
    if (!this.size) throw new PageParseError(new Error('empty body'));
    return parse(this.chunks.length === 1 ? this.chunks[0]!.toString('utf8') : Buffer.concat(this.chunks, this.size).toString('utf8'));
  }

  private giveUp(): never {
    throw new Error('unexpected shape');
  }

  private scan(chunk: Buffer): void {
    const n = chunk.length;
    this.runStartInChunk = 0;
    this.envelopeStartInChunk = 0;
    let i = 0;
    while (i < n) {
      if (this.inString) {
        // Jump to the next quote; a quote after an odd run of backslashes is part of the string.
        if (this.escaped) {
          this.escaped = false;
          if (this.keyStart) this.keyByte(chunk[i]!);
          i++;
          continue;
        }
        const q = chunk.indexOf(QUOTE, i);
        const stop = q < 0 ? n : q;
        // Backslashes before the quote (or the chunk's end): an odd count escapes what follows.
        let j = stop - 1;
        while (j >= i && chunk[j] === BACKSLASH) j--;
        const odd = (stop - 1 - j) % 2 === 1;
        if (this.keyStart) for (let k = i; k < stop; k++) this.keyByte(chunk[k]!);
        if (q < 0) {
          this.escaped = odd;
          i = n;
          break;
        }
        if (odd) {
          if (this.keyStart) this.keyByte(QUOTE);
          i = q + 1;
          continue;
        }
        this.inString = false;
        if (this.keyStart) {
          this.keyStart = false;
          this.expect = 'colon';
        }
        i = q + 1;
        continue;
      }
      const c = chunk[i]!;
      if (isSpace(c)) {
        i++;
        continue;
      }
      if (this.topState !== 'inside') {
        if (this.topState === 'before' && c === OPEN_OBJECT) {
          this.topState = 'inside';
          this.depth = 1;
          i++;
          continue;
        }
        this.giveUp();
      }
      if (this.expect === 'colon') {
        // The string just read was a key when a colon follows (else it was a value: go on as usual).
        this.expect = 'none';
        if (c === COLON) {
          if (this.isValueKey()) {
            if (this.valueSeen) this.giveUp(); // "value" twice: leave it to JSON.parse
            this.expect = 'array';
          }
          i++;
          continue;
        }
      }
      if (this.expect === 'array') {
        this.expect = 'none';
        if (c !== OPEN_ARRAY) this.giveUp();
        // The envelope keeps "[": the items go elsewhere until the matching "]".
        this.envelope.push(chunk.subarray(this.envelopeStartInChunk, i + 1));
        this.valueSeen = true;
        this.inItems = true;
        this.depth = 2;
        this.run = [];
        this.runBytes = 0;
        this.runStartInChunk = i + 1;
        this.cutAtComma = false;
        if (this.finalScan) {
          i++;
          continue;
        }
        this.skipping = true;
        this.skip(chunk, i + 1);
        return;
      }
      switch (c) {
        case QUOTE:
          this.inString = true;
          if (this.depth === 1) {
            this.keyStart = true;
            this.keyBytes.length = 0;
            this.keyTooLong = false;
          }
          break;
        case OPEN_OBJECT:
        case OPEN_ARRAY:
          this.depth++;
          break;
        case CLOSE_OBJECT:
        case CLOSE_ARRAY:
          if (this.inItems && this.depth === 2) {
            if (c !== CLOSE_ARRAY) this.giveUp();
            this.flushRun(chunk, i, true);
            this.inItems = false;
            this.envelopeStartInChunk = i;
          }
          this.depth--;
          if (this.depth === 0) this.topState = 'after';
          break;
        case COMMA:
          if (this.inItems && this.depth === 2 && this.runBytes + (i - this.runStartInChunk) >= this.runTarget) {
            this.flushRun(chunk, i, false);
            this.runStartInChunk = i + 1;
            this.cutAtComma = true;
          }
          break;
      }
      i++;
    }
    // The chunk ends: keep what belongs to the current run of items, or to the envelope.
    if (this.inItems) {
      if (n > this.runStartInChunk) {
        this.run.push(chunk.subarray(this.runStartInChunk, n));
        this.runBytes += n - this.runStartInChunk;
      }
    } else if (this.topState !== 'before' && n > this.envelopeStartInChunk) {
      this.envelope.push(chunk.subarray(this.envelopeStartInChunk, n));
    }
  }

  /** Set while scanRest() runs: the scanner then goes byte by byte to the end. */
  private finalScan = false;

  /**
   * Inside "value", from `start` in `chunk`: the bytes join the current run; once the run is at
   * least runTarget long, the next ',{"<key>":' is a candidate cut.
   */
  private skip(chunk: Buffer, start: number): void {
    const n = chunk.length;
    let from = start;
    if (this.cutPattern === undefined) this.learnCutPattern(chunk, start);
    const pattern = this.cutPattern;
    while (pattern && this.failedCuts < 3) {
      const searchFrom = from + Math.max(0, this.runTarget - this.runBytes);
      if (searchFrom >= n) break;
      const j = chunk.indexOf(pattern, searchFrom);
      if (j < 0) break;
      if (j > from) {
        this.run.push(chunk.subarray(from, j));
        this.runBytes += j - from;
      }
      if (this.flushCandidate()) {
        this.cutAtComma = true;
        from = j + 1; // the comma between the two items belongs to neither
      } else {
        this.failedCuts++;
        from = j; // not between items after all: the comma is data, and the run goes on
      }
    }
    if (n > from) {
      this.run.push(chunk.subarray(from, n));
      this.runBytes += n - from;
    }
  }

  /** The first item's first key, from the first bytes of "value" (compact JSON only; else no cuts). */
  private learnCutPattern(chunk: Buffer, start: number): void {
    const seen = Buffer.concat([...this.run, chunk.subarray(start, Math.min(chunk.length, start + 512))]);
    const m = /^\s*\{"([^"\\]{1,100})":/.exec(seen.toString('latin1', 0, Math.min(seen.length, 512)));
    if (m) this.cutPattern = Buffer.from(`,{"${m[1]}":`, 'latin1');
    else if (seen.length >= 512 || /^\s*(\]|\{\s|\{"[^"]*\\|[^\s{])/.test(seen.toString('latin1'))) this.cutPattern = null;
    // else: too few bytes yet to tell; asked again with the next chunk.
  }

  /** Parses the run as whole items if it is one; false (nothing changed) when it is not. */
  private flushCandidate(): boolean {
    const bytes = this.runArray();
    let parsed: unknown[];
    try {
      parsed = JSON.parse(bytes.toString('utf8')) as unknown[];
    } catch {
      return false;
    }
    if (parsed.length === 0) return false; // a blank run: "[," is not JSON; leave it to the final scan
    this.run = [];
    this.runBytes = 0;
    this.takeItems(parsed);
    return true;
  }

  /** The bytes since the last cut, byte by byte: where "value" ends, and the envelope after it. */
  private scanRest(): void {
    const rest = Buffer.concat(this.run);
    this.run = [];
    this.runBytes = 0;
    this.skipping = false;
    this.finalScan = true;
    this.runStartInChunk = 0;
    try {
      this.scan(rest);
    } catch (err) {
      if (err instanceof PageParseError) this.error = err;
      else this.fallback = true;
    }
  }

  /** The current run as the bytes of a JSON array: "[" + run + "]", copied once outside the JS heap. */
  private runArray(): Buffer {
    const run = this.run;
    let size = 2;
    for (let k = 0; k < run.length; k++) size += run[k]!.length;
    const bytes = Buffer.allocUnsafe(size);
    bytes[0] = OPEN_ARRAY;
    let at = 1;
    for (let k = 0; k < run.length; k++) at += run[k]!.copy(bytes, at);
    bytes[at] = CLOSE_ARRAY;
    return bytes;
  }

  private takeItems(parsed: unknown[]): void {
    for (let k = 0; k < parsed.length; k++) this.items.push(parsed[k]);
    if (this.onItems) {
      try {
        this.onItems(parsed);
      } catch {
        /* a hint: its failure changes nothing here */
      }
    }
  }

  private keyByte(b: number): void {
    if (this.keyTooLong) return;
    if (this.keyBytes.length >= VALUE_KEY.length) {
      this.keyTooLong = true;
      return;
    }
    this.keyBytes.push(b);
  }

  private isValueKey(): boolean {
    if (this.keyTooLong || this.keyBytes.length !== VALUE_KEY.length) return false;
    for (let k = 0; k < VALUE_KEY.length; k++) if (this.keyBytes[k] !== VALUE_KEY[k]) return false;
    return true;
  }

  /** Parses the run of items that ends at `end` in `chunk` (a comma we cut at, or the closing "]"). */
  private flushRun(chunk: Buffer, end: number, last: boolean): void {
    if (end > this.runStartInChunk) this.run.push(chunk.subarray(this.runStartInChunk, end));
    // The run between "[" and "]", copied once outside the JS heap, then decoded into one flat
    // string: parsing `[${text}]` made a second 64 KB copy in the young generation (the
    // concatenation is flattened by JSON.parse), 52 MB more garbage for 100,000 members.
    const bytes = this.runArray();
    this.run = [];
    this.runBytes = 0;
    const at = bytes.length - 1;
    let blank = true;
    for (let k = 1; k < at; k++) {
      if (!isSpace(bytes[k]!)) {
        blank = false;
        break;
      }
    }
    if (blank) {
      // "[]" is fine; "[...,]" (nothing after a comma) is not JSON.
      if (last && this.cutAtComma) throw new PageParseError(new Error('a comma before "]"'));
      if (!last) throw new PageParseError(new Error('an empty item'));
      return;
    }
    this.takeItems(parse(bytes.toString('utf8')) as unknown[]);
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new PageParseError(err);
  }
}
