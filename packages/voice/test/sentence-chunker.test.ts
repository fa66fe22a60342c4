import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSentenceChunker, isSpeakable } from '../src/index';

function chunk(deltas: string[], options = {}): string[] {
  const chunker = createSentenceChunker(options);
  const out: string[] = [];
  for (const delta of deltas) out.push(...chunker.push(delta));
  out.push(...chunker.flush());
  return out;
}

describe('sentence chunker', () => {
  it('splits at sentence ends once the next word is known', () => {
    const chunker = createSentenceChunker();
    expect(chunker.push('Hello there.')).toEqual([]);
    expect(chunker.push(' How')).toEqual(['Hello there.']);
    expect(chunker.push(' are you? I')).toEqual(['How are you?']);
    expect(chunker.flush()).toEqual(['I']);
  });

  it('keeps numbers, abbreviations, initials, ellipses before lower case and dotted acronyms whole', () => {
    expect(chunk(['Pi is 3.', '14 roughly. Dr. Smith and Mrs. Jones met J. K. Rowling at 5 p.m. Monday.'])).toEqual([
      'Pi is 3.14 roughly.',
      'Dr. Smith and Mrs. Jones met J. K. Rowling at 5 p.m. Monday.',
    ]);
    expect(chunk(['Bring tools, e.g. a hammer. Well... maybe not. Version 2.5.1 ships today!'])).toEqual([
      'Bring tools, e.g. a hammer.',
      'Well... maybe not.',
      'Version 2.5.1 ships today!',
    ]);
  });

  it('handles closing quotes, repeated marks, newlines and CJK full stops', () => {
    expect(chunk(['He said "stop!" Then left?! Yes.\nNext line', '\n\n第一句。第二句！'])).toEqual([
      'He said "stop!"',
      'Then left?!',
      'Yes.',
      'Next line',
      '第一句。',
      '第二句！',
    ]);
  });

  it('never emits empty or unspeakable utterances', () => {
    expect(chunk(['...', ' ', '\n\n', '— ', '!!! ', '** '])).toEqual([]);
    expect(chunk(['Hi. ', '... ', 'There.'])).toEqual(['Hi.', 'There.']);
  });

  it('cuts an endless sentence at a clause break past maxChars', () => {
    const long = `${'word '.repeat(30)}, and ${'more '.repeat(30)}`;
    const out = chunk([long], { maxChars: 100 });
    expect(out.length).toBeGreaterThan(1);
    for (const piece of out) expect(piece.length).toBeLessThanOrEqual(100);
  });

  it('holds short sentences under minChars and joins them to the next', () => {
    expect(chunk(['Hi. Sure. This is a longer sentence. Ok.'], { minChars: 12 })).toEqual(['Hi. Sure. This is a longer sentence.', 'Ok.']);
  });

  const word = fc.constantFrom('hello', 'Dr.', 'world', '3.14', 'e.g.', 'Smith', 'fine', 'ok', 'U.S.', 'the', 'Über', 'x');
  const end = fc.constantFrom('.', '!', '?', '...', '?!', '');
  const sentence = fc.tuple(fc.array(word, { minLength: 1, maxLength: 6 }), end).map(([words, mark]) => `${words.join(' ')}${mark}`);
  const text = fc.array(sentence, { minLength: 1, maxLength: 6 }).map((s) => s.join(' '));

  it('property: the utterances do not depend on how the text was split into deltas', () => {
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 12 }), (input, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (input.length + 1)))].sort((a, b) => a - b);
        const deltas: string[] = [];
        let last = 0;
        for (const p of points) {
          deltas.push(input.slice(last, p));
          last = p;
        }
        deltas.push(input.slice(last));
        expect(chunk(deltas)).toEqual(chunk([input]));
      }),
    );
  });

  it('property: no empty utterance, and every word is spoken once, in order', () => {
    fc.assert(
      fc.property(text, (input) => {
        const out = chunk(input.split(''));
        for (const piece of out) {
          expect(piece.trim()).toBe(piece);
          expect(isSpeakable(piece)).toBe(true);
        }
        const words = (s: string) => s.split(/\s+/).filter(isSpeakable);
        expect(words(out.join(' '))).toEqual(words(input));
      }),
    );
  });
});
