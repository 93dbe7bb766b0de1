export const BACKEND_NAMES = ['basic', 'atlassian', 'zammad', 'smax'] as const;

/** Which ticketing system a support row belongs to. */
export type BackendName = (typeof BACKEND_NAMES)[number];
