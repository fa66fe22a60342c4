/** @module Reading a JSON request body: JSON only, bounded in bytes, parsed safely. */
import { problem, type Problem } from './problem';

/** Reads a JSON body of at most `maxBytes`; an empty body is `{}`. Returns a problem when it cannot. */
export async function readJsonBody(request: Request, maxBytes = 65_536): Promise<{ ok: true; value: unknown } | { ok: false; problem: Problem }> {
  const type = request.headers.get('content-type') ?? '';
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) return { ok: false, problem: problem(413, 'invalid_request', `The body is over ${maxBytes} bytes`) };
  const text = await readLimited(request, maxBytes);
  if (text === undefined) return { ok: false, problem: problem(413, 'invalid_request', `The body is over ${maxBytes} bytes`) };
  if (text.trim() === '') return { ok: true, value: {} };
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    return { ok: false, problem: problem(415, 'invalid_request', 'Send the body as JSON with content-type: application/json') };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, problem: problem(400, 'invalid_request', 'The body is not valid JSON', { field: '(root)' }) };
  }
}

async function readLimited(request: Request, maxBytes: number): Promise<string | undefined> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(concat(chunks, size));
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
