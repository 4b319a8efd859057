import { fileURLToPath } from 'node:url';

/** A first-party plugin's folder in this repository. */
export const pluginDir = (name: string) => fileURLToPath(new URL(`../../../${name}`, import.meta.url));
