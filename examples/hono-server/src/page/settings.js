// The settings page: plain DOM, no framework. Every value from the server is set with textContent
// (never innerHTML), keys are read from password inputs, sent once, and the inputs cleared.
const api = (path, init = {}) =>
  fetch(`/api/byok${path}`, { ...init, headers: { 'content-type': 'application/json', ...(init.headers ?? {}) }, credentials: 'same-origin' });

const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null) node.setAttribute(key, String(value));
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
  return node;
};

const problemText = (p) => [p.detail, p.providerMessage ? `Provider says: ${p.providerMessage}` : ''].filter(Boolean).join(' — ');
const when = (iso) => (iso ? new Date(iso).toLocaleString() : 'never');
const money = (n) => (n === undefined ? 'unknown' : `$${n.toFixed(n < 0.01 ? 6 : 4)}`);
let range = '7d';

async function loadConnections() {
  const body = document.querySelector('#connections tbody');
  const res = await api('/connections');
  const { connections } = await res.json();
  body.replaceChildren();
  if (connections.length === 0) body.append(el('tr', {}, el('td', { colspan: 6 }, 'No connections yet: connect a key below.')));
  for (const c of connections) {
    const status = c.state === 'active' ? (c.health?.status ?? 'unknown') : c.state;
    const actions = el('td', {});
    if (c.state !== 'revoked') {
      actions.append(
        el('button', { type: 'button', onclick: () => testConnection(c), 'aria-label': `Test ${c.name ?? c.provider}` }, 'Test'), ' ',
        el('button', { type: 'button', onclick: () => rotateConnection(c), 'aria-label': `Rotate ${c.name ?? c.provider}` }, 'Rotate'), ' ',
        el('button', { type: 'button', onclick: () => revokeConnection(c), 'aria-label': `Revoke ${c.name ?? c.provider}` }, 'Revoke'),
      );
    }
    body.append(
      el('tr', { 'data-connection': c.id, 'data-state': c.state },
        el('td', {}, c.provider),
        el('td', {}, c.name ?? ''),
        el('td', { class: 'key' }, c.credential?.hint ? `••••${c.credential.hint.slice(-4)}` : '—'),
        el('td', { class: `status status-${status}` }, status, c.health?.lastError ? el('div', { class: 'error' }, c.health.lastError) : ''),
        el('td', {}, when(c.health?.checkedAt)),
        actions,
      ),
    );
  }
}

function say(target, text, ok) {
  const node = document.getElementById(target);
  node.textContent = text;
  node.className = ok ? 'ok' : 'error';
}

async function connect(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const data = new FormData(form);
  const apiKey = String(data.get('apiKey') ?? '').trim();
  form.elements.apiKey.value = ''; // never keep the key on the page
  say('connect-result', 'Testing the key with the provider…', true);
  const res = await api('/connections', { method: 'POST', body: JSON.stringify({ provider: data.get('provider'), name: String(data.get('name') ?? '').trim() || undefined, apiKey }) });
  const body = await res.json();
  if (res.ok) say('connect-result', `Connected: the ${body.provider} key passed its test (${body.health?.status ?? 'unknown'}).`, true);
  else say('connect-result', `Not connected: ${problemText(body)}`, false);
  await refresh();
}

async function testConnection(c) {
  say('connect-result', `Testing ${c.provider}…`, true);
  const res = await api(`/connections/${c.id}/test`, { method: 'POST', body: '{}' });
  const body = await res.json();
  if (res.ok) say('connect-result', `${c.provider}: ${body.probes.map((p) => `${p.probe} ${p.ok ? 'ok' : p.skipped ? 'skipped' : `failed (${p.detail ?? p.reason})`}`).join(', ')}`, body.ok);
  else say('connect-result', problemText(body), false);
  await loadConnections();
}

function rotateConnection(c) {
  const dialog = document.getElementById('rotate-dialog');
  const form = document.getElementById('rotate-form');
  form.elements.apiKey.value = '';
  dialog.onclose = async () => {
    const apiKey = form.elements.apiKey.value.trim();
    form.elements.apiKey.value = '';
    if (dialog.returnValue !== 'rotate' || !apiKey) return;
    if (!confirm(`Replace the ${c.provider} key? The old key is destroyed.`)) return;
    const res = await api(`/connections/${c.id}/rotate`, { method: 'POST', body: JSON.stringify({ apiKey }) });
    const body = await res.json();
    say('connect-result', res.ok ? `Rotated: the new ${c.provider} key passed its test.` : `Not rotated: ${problemText(body)}`, res.ok);
    await loadConnections();
  };
  dialog.showModal();
}

async function revokeConnection(c) {
  if (!confirm(`Revoke the ${c.provider} key${c.name ? ` "${c.name}"` : ''}? Calls using it stop now and it cannot be undone.`)) return;
  const res = await api(`/connections/${c.id}/revoke`, { method: 'POST', body: '{}' });
  const body = await res.json();
  say('connect-result', res.ok ? `Revoked the ${c.provider} key.` : problemText(body), res.ok);
  await refresh();
}

async function loadModels() {
  const filters = document.getElementById('model-filters');
  const q = new URLSearchParams({ inputTokens: '1000', outputTokens: '500' });
  for (const name of ['provider', 'capability', 'maxInputPerMTok']) {
    const value = filters.querySelector(`[name=${name}]`).value;
    if (value) q.set(name, value);
  }
  if (filters.querySelector('[name=eu]').checked) q.set('eu', 'true');
  const [{ models }, prefs] = await Promise.all([api(`/models?${q}`).then((r) => r.json()), api('/preferences').then((r) => r.json())]);
  const agents = document.getElementById('agents');
  agents.replaceChildren();
  for (const { agentId, preference } of prefs.agents) {
    const select = el('select', { 'aria-label': `Model for ${agentId}`, 'data-agent': agentId }, el('option', { value: '' }, '(tenant default)'));
    for (const m of models) {
      const label = `${m.recommended ? '★ ' : ''}${m.provider} / ${m.id} — ${money(m.estimateUsd)} per 1k+500 tokens${m.connected ? '' : ' (not connected)'}`;
      const option = el('option', { value: `${m.provider}:${m.id}` }, label);
      if (preference && preference.model === m.id) option.selected = true;
      select.append(option);
    }
    const save = el('button', { type: 'button', onclick: () => savePreference(agentId, select.value) }, 'Save');
    agents.append(el('p', {}, el('label', {}, `Agent "${agentId}"`, select), save));
  }
}

async function savePreference(agentId, value) {
  const [provider, model] = value ? value.split(/:(.*)/s) : [];
  const res = await api(`/preferences/agents/${encodeURIComponent(agentId)}`, { method: 'PUT', body: JSON.stringify({ preference: model ? { provider, model } : null }) });
  say('models-result', res.ok ? `Saved: ${agentId} uses ${model ?? 'the tenant default'}.` : problemText(await res.json()), res.ok);
}

function chart(series) {
  const width = 640, height = 180, pad = 28;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  const totals = series.labels.map((_, i) => series.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const colors = ['#1b4fd8', '#d8741b', '#0a8a5a', '#8a1bd8', '#b3261e'];
  const slot = (width - pad) / Math.max(1, series.labels.length);
  const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
  title.textContent = `Requests per day: ${series.series.map((s) => `${s.name} ${s.values.reduce((a, b) => a + b, 0)}`).join(', ') || 'none'}`;
  svg.append(title);
  series.labels.forEach((label, i) => {
    let y = height - pad;
    series.series.forEach((s, j) => {
      const h = ((s.values[i] ?? 0) / max) * (height - 2 * pad);
      if (h <= 0) return;
      const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
      Object.entries({ x: pad + i * slot + 2, y: y - h, width: Math.max(2, slot - 4), height: h, fill: colors[j % colors.length], 'data-series': s.name, 'data-value': s.values[i] }).forEach(([k, v]) => rect.setAttribute(k, String(v)));
      svg.append(rect);
      y -= h;
    });
    if (series.labels.length <= 31 && (i % Math.ceil(series.labels.length / 8) === 0)) {
      const text = document.createElementNS('http://www.w3.org/2000/svg', 'text');
      text.setAttribute('x', String(pad + i * slot));
      text.setAttribute('y', String(height - 8));
      text.textContent = label.slice(5);
      svg.append(text);
    }
  });
  const top = document.createElementNS('http://www.w3.org/2000/svg', 'text');
  top.setAttribute('x', '0');
  top.setAttribute('y', String(pad));
  top.textContent = String(max);
  svg.append(top);
  return svg;
}

async function loadUsage() {
  const by = document.getElementById('series-by').value;
  const [series, summary, limits] = await Promise.all([
    api(`/usage/series?range=${range}&metric=requests&seriesBy=${by}`).then((r) => r.json()),
    api(`/usage/summary?range=${range}&by=provider,model`).then((r) => r.json()),
    api('/limits').then((r) => r.json()),
  ]);
  const total = series.series.reduce((sum, s) => sum + s.values.reduce((a, b) => a + b, 0), 0);
  document.getElementById('usage-chart').replaceChildren(chart(series));
  document.getElementById('usage-caption').textContent = `${total} requests in the last ${range}, by ${by}: ${series.series.map((s) => s.name).join(', ') || 'none yet'}`;
  document.getElementById('usage-chart').dataset.total = String(total);
  const body = document.querySelector('#usage-table tbody');
  body.replaceChildren(...summary.rows.map((r) => el('tr', {}, el('td', {}, r.key.provider), el('td', {}, r.key.model), el('td', {}, r.requests), el('td', {}, `${r.inputTokens} / ${r.outputTokens}`), el('td', {}, money(r.costUsd)))));
  const box = document.getElementById('limits');
  box.replaceChildren(
    ...limits.limits.map((l) => {
      const pct = l.limit > 0 ? Math.min(100, (100 * l.used) / l.limit) : 100;
      return el('div', { class: 'limit' },
        el('p', {}, `${l.id} (${l.scope}, ${l.mode}): ${l.used} of ${l.limit} ${l.unit}; resets ${new Date(l.resetsAt).toLocaleString()}`),
        el('div', { class: `bar${pct >= 100 ? ' over' : ''}`, role: 'progressbar', 'aria-label': l.id, 'aria-valuemin': 0, 'aria-valuemax': l.limit, 'aria-valuenow': l.used }, el('span', { style: `width:${pct}%` })),
      );
    }),
  );
}

async function loadRoutes() {
  const { routes } = await api('/routes?limit=10').then((r) => r.json());
  document.querySelector('#routes tbody').replaceChildren(
    ...routes.map((r) => {
      const served = r.route.servedBy;
      return el('tr', {},
        el('td', {}, new Date(r.at).toLocaleTimeString()),
        el('td', {}, served ? `${served.provider}/${served.model} via ${served.connectionId ?? '—'} (${served.billingSource})` : 'not served'),
        el('td', {}, r.route.attempts.map((a) => `${a.provider}/${a.model}: ${a.outcome === 'success' ? 'ok' : a.reason}`).join(' → ')),
        el('td', { class: r.success ? 'ok' : 'error' }, r.success ? 'ok' : r.reason),
        el('td', {}, `${Math.round(r.latencyMs)} ms`),
      );
    }),
  );
}

async function sendChat(event) {
  event.preventDefault();
  const input = event.currentTarget.elements.message;
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  const log = document.getElementById('chat-log');
  log.append(el('p', { class: 'user' }, `You: ${text}`));
  const reply = el('span', { class: 'reply' });
  const line = el('p', { class: 'assistant' }, 'Assistant: ', reply);
  log.append(line);
  const res = await fetch('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: [{ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] }] }) });
  if (!res.ok) {
    reply.textContent = problemText(await res.json());
    line.className = 'error';
  } else {
    // The AI SDK UI message stream: `data: {json}` events; text arrives as text-delta chunks.
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = event.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
        if (!data || data === '[DONE]') continue;
        const chunk = JSON.parse(data);
        if (chunk.type === 'text-delta') reply.textContent += chunk.delta;
        if (chunk.type === 'error') line.append(el('span', { class: 'error' }, ` (${chunk.errorText})`));
        if (chunk.type === 'finish') line.dataset.done = 'true';
      }
    }
  }
  await refresh();
}

async function refresh() {
  await Promise.all([loadConnections(), loadUsage(), loadRoutes()]);
}

document.getElementById('connect-form').addEventListener('submit', connect);
document.getElementById('chat-form').addEventListener('submit', sendChat);
document.getElementById('model-filters').addEventListener('change', loadModels);
document.getElementById('series-by').addEventListener('change', loadUsage);
for (const button of document.querySelectorAll('#ranges button')) {
  button.addEventListener('click', () => {
    range = button.dataset.range;
    for (const b of document.querySelectorAll('#ranges button')) b.setAttribute('aria-pressed', String(b === button));
    void loadUsage();
  });
}
await Promise.all([refresh(), loadModels()]);
document.body.dataset.ready = 'true';
