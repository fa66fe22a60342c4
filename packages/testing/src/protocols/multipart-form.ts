/**
 * @module A strict reader of `multipart/form-data` bodies for the mocks: it checks the framing a
 * real server checks (boundary from the content type, CRLF line ends, a closing delimiter) and
 * returns every part with its headers and exact bytes, so tests can assert a byte-correct upload.
 */

/** One part of a multipart body. */
export interface MultipartPart {
  /** The `name` of its `content-disposition`. */
  name: string;
  /** The `filename`, for file parts. */
  filename?: string;
  /** Its `content-type`, when it has one. */
  contentType?: string;
  /** Every header line, lower-cased names. */
  headers: Record<string, string>;
  /** The exact bytes. */
  data: Uint8Array;
  /** The bytes as UTF-8 text. */
  text: string;
}

/** A parse failure, with what a server would say. */
export class MultipartError extends Error {}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i <= haystack.byteLength - needle.byteLength; i++) {
    for (let j = 0; j < needle.byteLength; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * Parses a multipart body. Throws {@link MultipartError} when the content type has no
 * boundary, the body does not start with it, or the closing delimiter is missing.
 *
 * @example
 * const parts = parseMultipart(request.bytes, request.headers.get('content-type'));
 * parts.find((p) => p.name === 'file')?.filename; // 'audio.wav'
 */
export function parseMultipart(bytes: Uint8Array | undefined, contentType: string | null): MultipartPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const value = boundary?.[1] ?? boundary?.[2];
  if (!contentType?.toLowerCase().startsWith('multipart/form-data') || !value) {
    throw new MultipartError('expected a multipart/form-data body with a boundary');
  }
  if (!bytes) throw new MultipartError('empty body');
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const delimiter = encoder.encode(`--${value}`);
  if (indexOf(bytes, delimiter, 0) !== 0) throw new MultipartError('the body does not start with the boundary');
  const parts: MultipartPart[] = [];
  let at = delimiter.byteLength;
  for (let guard = 0; guard < 1000; guard++) {
    if (bytes[at] === 0x2d && bytes[at + 1] === 0x2d) return parts; // closing "--"
    if (bytes[at] !== 0x0d || bytes[at + 1] !== 0x0a) throw new MultipartError('a boundary is not followed by CRLF');
    at += 2;
    const headerEnd = indexOf(bytes, encoder.encode('\r\n\r\n'), at);
    if (headerEnd < 0) throw new MultipartError('a part has no end of headers');
    const headers: Record<string, string> = {};
    for (const line of decoder.decode(bytes.subarray(at, headerEnd)).split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const next = indexOf(bytes, encoder.encode(`\r\n--${value}`), headerEnd + 4);
    if (next < 0) throw new MultipartError('the closing boundary is missing');
    const data = bytes.slice(headerEnd + 4, next);
    const disposition = headers['content-disposition'] ?? '';
    const name = /\bname="([^"]*)"/.exec(disposition)?.[1];
    if (!disposition.startsWith('form-data') || name === undefined) throw new MultipartError('a part has no form-data name');
    const part: MultipartPart = { name, headers, data, text: decoder.decode(data) };
    const filename = /\bfilename="([^"]*)"/.exec(disposition)?.[1];
    if (filename !== undefined) part.filename = filename;
    if (headers['content-type']) part.contentType = headers['content-type'];
    parts.push(part);
    at = next + 2 + delimiter.byteLength;
  }
  throw new MultipartError('too many parts');
}
