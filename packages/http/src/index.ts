/**
 * `@byok/http` — Fetch API handlers for @byok: a runtime stream as an SSE or AI SDK UI message
 * stream `Response` (status from the first part, abort on disconnect, keep-alive), the chat
 * endpoint `useChat` talks to, and the settings API (connections, models, preferences, usage,
 * limits, audit, route traces) with its OpenAPI 3.1 document. The OpenAI-compatible gateway is
 * `@byok/http/openai`; the Node `http`/Express adapter is `@byok/http/node`.
 *
 * @example
 * import { createSettingsApi, createChatHandler } from '@byok/http';
 *
 * const settings = createSettingsApi({ byok, metering, authenticate, basePath: '/api/byok' });
 * const chat = createChatHandler({ byok, authenticate });
 * // Hono: app.all('/api/byok/*', (c) => settings.handle(c.req.raw)); app.post('/api/chat', (c) => chat(c.req.raw));
 *
 * @packageDocumentation
 */
export * from './auth';
export * from './http-status';
export * from './problem';
export { readJsonBody } from './read-body';
export * from './stream/keep-alive';
export { openParts, type OpenedParts } from './stream/open-stream';
export * from './stream/ui-message-chunks';
export * from './stream/stream-response';
export * from './stream/from-ui-messages';
export * from './chat-handler';
export * from './settings/create-settings-api';
export * from './settings/schemas';
export { SETTINGS_ROUTES, RouteProblem, type RouteAccess, type RouteContext, type SettingsDeps, type SettingsRoute } from './settings/routes';
export { buildOpenApi, type OpenApiDocument } from './settings/openapi';
export { createRouteLog, type RouteLog, type RouteLogEntry } from './settings/route-log';
