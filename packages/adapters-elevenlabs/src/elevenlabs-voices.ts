/**
 * @module Voices: `GET /v2/voices` (paged with `next_page_token`), the voices the key can speak
 * with. Needs the `voices_read` scope; a key without it still synthesizes with a known voice id.
 */
import { isRecord, type CallContext, type VoiceInfo } from '@byok/core';
import { elevenLabsContext } from './elevenlabs-context';

const MAX_PAGES = 20;

/** Reads one voice record; undefined when it has no id. */
export function readElevenLabsVoice(raw: unknown): VoiceInfo | undefined {
  if (!isRecord(raw) || typeof raw.voice_id !== 'string' || raw.voice_id === '') return undefined;
  const voice: VoiceInfo = { id: raw.voice_id, provider: 'elevenlabs' };
  if (typeof raw.name === 'string') voice.name = raw.name;
  if (typeof raw.category === 'string') voice.category = raw.category;
  if (isRecord(raw.labels)) {
    const labels: Record<string, string> = {};
    for (const [key, value] of Object.entries(raw.labels)) if (typeof value === 'string') labels[key] = value;
    voice.labels = labels;
  }
  if (Array.isArray(raw.high_quality_base_model_ids)) {
    voice.models = raw.high_quality_base_model_ids.filter((m): m is string => typeof m === 'string');
  }
  if (typeof raw.preview_url === 'string' && /^https?:\/\//.test(raw.preview_url)) voice.previewUrl = raw.preview_url;
  if (Array.isArray(raw.verified_languages)) {
    const languages = raw.verified_languages
      .map((l) => (isRecord(l) && typeof l.language === 'string' ? l.language : undefined))
      .filter((l): l is string => l !== undefined);
    if (languages.length > 0) voice.languages = [...new Set(languages)];
  }
  return voice;
}

/** Every voice the key can use, following `next_page_token` (at most 20 pages of 100). */
export async function listElevenLabsVoices(call: CallContext, defaultBaseUrl: string): Promise<VoiceInfo[]> {
  const context = elevenLabsContext(defaultBaseUrl, call);
  const voices: VoiceInfo[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = new URL(context.url('/v2/voices'));
    url.searchParams.set('page_size', '100');
    if (token) url.searchParams.set('next_page_token', token);
    const { value } = await context.http().json('GET', url.toString(), undefined, context.headers);
    const body = isRecord(value) ? value : {};
    for (const raw of Array.isArray(body.voices) ? body.voices : []) {
      const voice = readElevenLabsVoice(raw);
      if (voice) voices.push(voice);
    }
    token = body.has_more === true && typeof body.next_page_token === 'string' ? body.next_page_token : undefined;
    if (!token) break;
  }
  return voices;
}
