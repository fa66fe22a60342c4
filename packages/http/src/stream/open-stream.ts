/**
 * @module Reading a runtime stream up to its first content part, so the HTTP status can be chosen
 * before any byte is sent: a failure that comes first becomes a 4xx/5xx problem, not a 200 with an
 * error inside.
 */
import { ByokError, isByokError, isContentPart, type ByokStreamPart, type RoutePart, type StreamPart } from '@byok/core';

/** A stream opened as far as its first content (or its failure). */
export type OpenedParts =
  | { ok: true; head: ByokStreamPart[]; iterator: AsyncIterator<ByokStreamPart> }
  | { ok: false; error: ByokError; route?: RoutePart };

/** Pulls parts until one decides the status: content, a finish, an error, or the route. */
export async function openParts(stream: AsyncIterable<ByokStreamPart>): Promise<OpenedParts> {
  const iterator = stream[Symbol.asyncIterator]();
  const head: ByokStreamPart[] = [];
  for (;;) {
    let step: IteratorResult<ByokStreamPart>;
    try {
      step = await iterator.next();
    } catch (thrown) {
      return { ok: false, error: isByokError(thrown) ? thrown : new ByokError('unclassified', 'The stream failed', { cause: thrown }) };
    }
    if (step.done) return { ok: true, head, iterator };
    const part = step.value;
    if (part.type === 'error') {
      const next = await iterator.next().catch(() => undefined);
      const route = next && !next.done && next.value.type === 'route' ? next.value : undefined;
      await iterator.return?.().catch(() => undefined);
      return route ? { ok: false, error: part.error, route } : { ok: false, error: part.error };
    }
    head.push(part);
    if (part.type === 'route' || part.type === 'finish' || isContentPart(part as StreamPart)) return { ok: true, head, iterator };
  }
}
