/** @module The budget of the multi-process proof, shared by the parent test and the workers. */
import type { LimitDefinitionInput } from '@byok/core';

/** A 10,000-token daily budget per tenant. */
export const TOKEN_LIMIT_FOR_TESTS: LimitDefinitionInput = { id: 'daily-tokens', scope: 'tenant', window: { type: 'day' }, unit: 'tokens', limit: 10_000 };
