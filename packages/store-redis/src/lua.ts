/**
 * @module The Lua scripts, one per `StateStore` operation. Each runs atomically on the server.
 * Time is always the caller's `now` (ARGV), never the server's clock: expiry is decided by the
 * `exp` field against `now`; the Redis TTL set beside it (with a margin) only reclaims memory.
 *
 * Numbers travel as strings both ways: Redis turns a Lua number reply into an integer, and
 * `fmt` writes the shortest text that reads back as the same double, so totals match
 * JavaScript's arithmetic exactly.
 */

/** Shared helpers, prepended to every script. */
const PRELUDE = `
local function fmt(x)
  for _, p in ipairs({'%.15g', '%.16g', '%.17g'}) do
    local s = string.format(p, x)
    if tonumber(s) == x then return s end
  end
  return string.format('%.17g', x)
end
-- A plain key: a hash with v (value), ver (version), exp (expiresAt) and until (setIfLater).
local function live(key, now)
  local f = redis.call('HMGET', key, 'v', 'ver', 'exp', 'until')
  if not f[2] then return nil end
  if f[3] and tonumber(f[3]) <= now then return nil end
  return { v = f[1], ver = tonumber(f[2]), exp = f[3], untl = f[4] }
end
-- Physical TTL: the logical expiry by the caller's clock, plus a margin for clock skew.
local function ttl(keys, exp, now, margin)
  for _, k in ipairs(keys) do
    if exp then redis.call('PEXPIRE', k, math.max(1, math.ceil(exp - now + margin))) else redis.call('PERSIST', k) end
  end
end
`;

/** KEYS: key. ARGV: now. Returns nil or { v, ver, exp|'' }. */
export const GET = `${PRELUDE}
local cur = live(KEYS[1], tonumber(ARGV[1]))
if not cur then return nil end
return { cur.v, tostring(cur.ver), cur.exp or '' }
`;

/** KEYS: key. ARGV: expectedVersion, value, now, ttlMs|'' , margin. Returns nil or { ver, exp|'' }. */
export const COMPARE_AND_SET = `${PRELUDE}
local now = tonumber(ARGV[3])
local cur = live(KEYS[1], now)
local ver = cur and cur.ver or 0
if ver ~= tonumber(ARGV[1]) then return nil end
redis.call('DEL', KEYS[1])
local exp = nil
if ARGV[4] ~= '' then exp = now + tonumber(ARGV[4]) end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'ver', ver + 1)
if exp then redis.call('HSET', KEYS[1], 'exp', fmt(exp)) end
ttl({ KEYS[1] }, exp, now, tonumber(ARGV[5]))
return { tostring(ver + 1), exp and fmt(exp) or '' }
`;

/** KEYS: key. ARGV: by, now, ttlMs|'', margin. Returns the new total as text. */
export const INCREMENT = `${PRELUDE}
local now = tonumber(ARGV[2])
local cur = live(KEYS[1], now)
local total = ((cur and tonumber(cur.v)) or 0) + tonumber(ARGV[1])
local exp = nil
if cur then
  exp = cur.exp and tonumber(cur.exp) or nil
elseif ARGV[3] ~= '' then
  exp = now + tonumber(ARGV[3])
end
local ver = cur and cur.ver or 0
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'v', fmt(total), 'ver', ver + 1)
if exp then redis.call('HSET', KEYS[1], 'exp', fmt(exp)) end
ttl({ KEYS[1] }, exp, now, tonumber(ARGV[4]))
return fmt(total)
`;

/** KEYS: key. ARGV: until, value, now, graceMs, margin. Returns { applied 0|1, until, value }. */
export const SET_IF_LATER = `${PRELUDE}
local now = tonumber(ARGV[3])
local untl = tonumber(ARGV[1])
local cur = live(KEYS[1], now)
if cur and cur.untl and tonumber(cur.untl) >= untl then return { '0', cur.untl, cur.v } end
local ver = cur and cur.ver or 0
local exp = untl + tonumber(ARGV[4])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'ver', ver + 1, 'until', ARGV[1], 'exp', fmt(exp))
ttl({ KEYS[1] }, exp, now, tonumber(ARGV[5]))
return { '1', ARGV[1], ARGV[2] }
`;

/** Ledger bucket helpers. KEYS: meta (settled, exp), amounts (id -> amount), expiries (zset id -> expiresAt), settled ids (set). */
const BUCKET = `${PRELUDE}
-- Opens the bucket: false when it ended (read paths), else true, its end (or nil) and its settled
-- total. An ended bucket is cleared on write; \`settled\` is always present in a live bucket's hash.
local function bucket_open(now, bucket_ttl, create)
  local f = redis.call('HMGET', KEYS[1], 'exp', 'settled')
  local exp, settled = f[1], f[2]
  if exp and tonumber(exp) <= now then
    if not create then return false end
    redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
    exp, settled = nil, nil
  end
  if create and not settled then
    settled = '0'
    redis.call('HSET', KEYS[1], 'settled', settled)
  end
  if bucket_ttl and not exp and settled then
    exp = fmt(now + bucket_ttl)
    redis.call('HSET', KEYS[1], 'exp', exp)
  end
  return true, exp and tonumber(exp) or nil, tonumber(settled or '0')
end
-- Drops reservations whose expiresAt has passed.
local function purge(now)
  local gone = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)
  if #gone > 0 then
    redis.call('HDEL', KEYS[2], unpack(gone))
    redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  end
end
-- Sum of live reservations (expiresAt > now).
local function reserved(now)
  local ids = redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. now, '+inf')
  local sum = 0
  if #ids > 0 then
    for _, a in ipairs(redis.call('HMGET', KEYS[2], unpack(ids))) do sum = sum + (tonumber(a) or 0) end
  end
  return sum
end
-- Sum of every reservation left (call after purge: they are all live).
local function held()
  local sum = 0
  for _, a in ipairs(redis.call('HVALS', KEYS[2])) do sum = sum + (tonumber(a) or 0) end
  return sum
end
`;

/** ARGV: id, amount, limit, now, expiresAt, bucketTtlMs|'', margin. Returns { ok 0|1, used }. */
export const RESERVE = `${BUCKET}
local now = tonumber(ARGV[4])
local _, exp, settled = bucket_open(now, ARGV[6] ~= '' and tonumber(ARGV[6]) or nil, true)
purge(now)
local used = settled + held()
local margin = tonumber(ARGV[7])
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 or redis.call('SISMEMBER', KEYS[4], ARGV[1]) == 1 then
  ttl({ KEYS[1] }, exp, now, margin)
  return { '1', fmt(used) }
end
if used + tonumber(ARGV[2]) > tonumber(ARGV[3]) then
  ttl({ KEYS[1] }, exp, now, margin)
  return { '0', fmt(used) }
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
-- Only the keys written here need their TTL (the others got the same one when last written).
ttl({ KEYS[1], KEYS[2], KEYS[3] }, exp, now, margin)
return { '1', fmt(used + tonumber(ARGV[2])) }
`;

/** ARGV: id, amount, now, bucketTtlMs|'', margin. Returns 1 when applied, 0 when already settled. */
export const SETTLE = `${BUCKET}
local now = tonumber(ARGV[3])
local _, exp, settled = bucket_open(now, ARGV[4] ~= '' and tonumber(ARGV[4]) or nil, true)
if redis.call('SISMEMBER', KEYS[4], ARGV[1]) == 1 then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[1])
redis.call('HSET', KEYS[1], 'settled', fmt(settled + tonumber(ARGV[2])))
ttl({ KEYS[1], KEYS[4] }, exp, now, tonumber(ARGV[5]))
return 1
`;

/** ARGV: id, now. Returns 1 when a live reservation was dropped. */
export const RELEASE = `${BUCKET}
local now = tonumber(ARGV[2])
if not bucket_open(now, nil, false) then return 0 end
local score = redis.call('ZSCORE', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
if score and tonumber(score) > now then return 1 end
return 0
`;

/** ARGV: now. Returns { settled, reserved }. */
export const BUCKET_USAGE = `${BUCKET}
local now = tonumber(ARGV[1])
local open, _, settled = bucket_open(now, nil, false)
if not open then return { '0', '0' } end
return { fmt(settled), fmt(reserved(now)) }
`;
