/** @module The settings API under /api/byok/* (connections, models, preferences, usage, limits, audit, routes, openapi.json). */
import { byokServer } from '../../../../lib/byok';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const handle = async (request: Request) => (await byokServer()).settings.handle(request);
export { handle as GET, handle as POST, handle as PUT };
