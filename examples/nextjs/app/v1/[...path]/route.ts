/** @module The OpenAI-compatible gateway: /v1/chat/completions, /v1/models, /v1/embeddings. */
import { byokServer } from '../../../lib/byok';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const handle = async (request: Request) => (await byokServer()).gateway(request);
export { handle as GET, handle as POST };
