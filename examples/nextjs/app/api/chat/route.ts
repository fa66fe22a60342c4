/** @module The chat endpoint: `useChat`'s UI message stream, routed through the tenant's connections. */
import { byokServer } from '../../../lib/byok';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  return (await byokServer()).chat(request);
}
