/**
 * @module The sentence chunker: text deltas in, speakable utterances out, as early as a sentence
 * is certainly over. A period ends a sentence only when what follows is known and is not a
 * lower-case word, and the word before it is not an abbreviation or an initial — so `3.14`,
 * `Dr. Smith`, `e.g. this` and `Well... maybe` stay whole. Nothing unspeakable (white space,
 * bare punctuation) is ever emitted.
 */

/** Options of {@link createSentenceChunker}. */
export interface SentenceChunkerOptions {
  /**
   * A sentence shorter than this is held and joined to the next one (fewer, larger text-to-speech
   * requests). Default 0: every sentence is its own utterance, for the earliest first audio.
   */
  minChars?: number;
  /** Text with no sentence end is cut at a clause or word break once it grows past this. Default 400. */
  maxChars?: number;
  /** Extra abbreviations (lower case, without the final period), e.g. `['approx', 'ca']`. */
  abbreviations?: readonly string[];
}

/** A chunker for one stream of text. */
export interface SentenceChunker {
  /** Adds a delta; returns the utterances it completed, in order. */
  push(delta: string): string[];
  /** The stream is over: returns what is left, if it is speakable. */
  flush(): string[];
}

/** Abbreviations that end with a period but rarely end a sentence. */
export const DEFAULT_ABBREVIATIONS: readonly string[] = [
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'mt', 'vs', 'etc', 'e.g', 'i.e', 'cf', 'approx', 'dept', 'est',
  'fig', 'inc', 'ltd', 'co', 'corp', 'no', 'nos', 'vol', 'ed', 'eds', 'p', 'pp', 'al', 'gen', 'gov', 'sen', 'rep',
  'rev', 'col', 'capt', 'lt', 'sgt', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'a.m', 'p.m', 'u.s', 'u.k', 'ph.d', 'min', 'max', 'ca',
];

const TERMINATORS = new Set(['.', '!', '?', '…', '。', '！', '？']);
const WIDE_TERMINATORS = new Set(['。', '！', '？']);
const CLOSERS = new Set(['"', "'", '”', '’', ')', ']', '»', '*', '_']);
const SPEAKABLE = /[\p{L}\p{N}]/u;
const LOWER = /\p{Ll}/u;

/** True when `text` has something a voice can say (a letter or a digit). */
export function isSpeakable(text: string): boolean {
  return SPEAKABLE.test(text);
}

/**
 * Creates a chunker.
 *
 * @example
 * const chunker = createSentenceChunker();
 * chunker.push('Pi is 3.'); // []
 * chunker.push('14. Dr. Smith agrees! Next'); // ['Pi is 3.14.', 'Dr. Smith agrees!']
 * chunker.flush(); // ['Next']
 */
export function createSentenceChunker(options: SentenceChunkerOptions = {}): SentenceChunker {
  const minChars = Math.max(0, options.minChars ?? 0);
  const maxChars = Math.max(20, options.maxChars ?? 400);
  const abbreviations = new Set([...DEFAULT_ABBREVIATIONS, ...(options.abbreviations ?? []).map((a) => a.toLowerCase())]);
  let buffer = '';
  let held = '';

  /** The end (exclusive) of the first certain sentence in `buffer`, or -1. */
  function boundary(): number {
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer[i] as string;
      if (c === '\n') {
        return i + 1;
      }
      if (!TERMINATORS.has(c)) continue;
      let end = i + 1;
      while (end < buffer.length && (TERMINATORS.has(buffer[end] as string) || CLOSERS.has(buffer[end] as string))) end++;
      if (end >= buffer.length) return -1; // what follows is not known yet
      const next = buffer[end] as string;
      if (WIDE_TERMINATORS.has(c)) return end;
      if (!/\s/.test(next)) {
        i = end - 1; // "3.14", "U.S.A", "?!" inside a token: not an end
        continue;
      }
      let after = end;
      while (after < buffer.length && /[ \t\r]/.test(buffer[after] as string)) after++;
      if (after >= buffer.length) return -1; // wait for the next word
      const nextChar = buffer[after] as string;
      if ((c === '.' || c === '…') && nextChar !== '\n' && LOWER.test(nextChar)) {
        i = end - 1;
        continue;
      }
      if (c === '.' && buffer[end - 1] === '.' && isAbbreviation(i)) {
        i = end - 1;
        continue;
      }
      return end;
    }
    return -1;
  }

  /** Whether the word ending at the period at `dot` is an abbreviation or an initial. */
  function isAbbreviation(dot: number): boolean {
    let start = dot;
    while (start > 0 && !/\s/.test(buffer[start - 1] as string)) start--;
    const word = buffer.slice(start, dot).replace(/^[("'“‘[]+/, '').toLowerCase();
    if (word.length === 0) return false;
    if (/^\p{L}$/u.test(word)) return true; // an initial: "J. K. Rowling"
    return abbreviations.has(word);
  }

  /** A clause or word break to cut an over-long buffer at. */
  function forcedBreak(): number {
    const window = buffer.slice(0, maxChars);
    for (const mark of ['; ', ', ', ': ', ' — ', ' - ']) {
      const at = window.lastIndexOf(mark);
      if (at > maxChars / 3) return at + mark.length - 1;
    }
    const space = window.lastIndexOf(' ');
    return space > 0 ? space : maxChars;
  }

  function emit(piece: string, out: string[]): void {
    const text = piece.replace(/\s+/g, ' ').trim();
    if (!isSpeakable(text)) {
      // Bare punctuation or markup: nothing to say; it still belongs to the text, so attach it.
      if (held && text) held = `${held}${text}`;
      return;
    }
    const joined = held ? `${held} ${text}` : text;
    if (joined.length < minChars) {
      held = joined;
      return;
    }
    held = '';
    out.push(joined);
  }

  return {
    push(delta: string): string[] {
      const out: string[] = [];
      buffer += delta;
      for (;;) {
        const end = boundary();
        if (end > 0) {
          emit(buffer.slice(0, end), out);
          buffer = buffer.slice(end);
          continue;
        }
        if (buffer.length > maxChars) {
          const cut = forcedBreak();
          emit(buffer.slice(0, cut), out);
          buffer = buffer.slice(cut);
          continue;
        }
        return out;
      }
    },
    flush(): string[] {
      const out: string[] = [];
      const rest = buffer;
      buffer = '';
      emit(rest, out);
      if (held) {
        out.push(held);
        held = '';
      }
      return out;
    },
  };
}
