import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** deploy/ */
export const DEPLOY_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REPO_DIR = join(DEPLOY_DIR, '..');
export const COMPOSE_DIR = join(DEPLOY_DIR, 'compose');
export const KUBERNETES_DIR = join(DEPLOY_DIR, 'kubernetes');
