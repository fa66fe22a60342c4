import { describe, expect, it } from 'vitest';
import { parseDurationString, parseRetryAfter } from '../src/index';

const now = Date.parse('2026-11-22T10:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    [{ 'retry-after-ms': '1500' }, 1500],
    [{ 'retry-after-ms': '12.7' }, 13],
    [{ 'retry-after': '2' }, 2000],
    [{ 'retry-after': '0' }, 0],
    [{ 'retry-after': '1.5' }, 1500],
    [{ 'retry-after': 'Sun, 22 Nov 2026 10:00:30 GMT' }, 30_000],
    [{ 'retry-after-ms': '250', 'retry-after': '9' }, 250],
    [{ 'Retry-After': '3' }, 3000],
  ])('reads %j as %d ms', (headers, expected) => {
    expect(parseRetryAfter(headers, { now: () => now })).toBe(expected);
    expect(parseRetryAfter(new Headers(headers), { now: () => now })).toBe(expected);
  });

  it.each([
    [{}],
    [{ 'retry-after': '-5' }],
    [{ 'retry-after': 'soon' }],
    [{ 'retry-after': '' }],
    [{ 'retry-after': '1e400' }],
    [{ 'retry-after': String(7 * 24 * 3600) }],
    [{ 'retry-after': 'Mon, 01 Jan 2024 00:00:00 GMT' }],
    [{ 'retry-after-ms': 'NaN' }],
  ])('ignores negative, unparseable and absurd values: %j', (headers) => {
    expect(parseRetryAfter(headers, { now: () => now })).toBeUndefined();
  });

  it('falls back to retry-after when retry-after-ms is broken', () => {
    expect(parseRetryAfter({ 'retry-after-ms': '-1', 'retry-after': '4' })).toBe(4000);
  });

  it('treats a date just passed as "now"', () => {
    expect(parseRetryAfter({ 'retry-after': 'Sun, 22 Nov 2026 09:59:50 GMT' }, { now: () => now })).toBe(0);
  });

  it('caps long but sane waits', () => {
    expect(parseRetryAfter({ 'retry-after': '3600' })).toBe(15 * 60_000);
    expect(parseRetryAfter({ 'retry-after': '90' }, { maxMs: 60_000 })).toBe(60_000);
  });
});

describe('parseDurationString', () => {
  it.each([
    ['34s', 34_000],
    ['0.5s', 500],
    ['1.250s', 1250],
  ])('reads %s', (value, expected) => expect(parseDurationString(value)).toBe(expected));

  it.each([['34'], ['-1s'], ['abc'], [42], [undefined]])('ignores %j', (value) => {
    expect(parseDurationString(value)).toBeUndefined();
  });
});
