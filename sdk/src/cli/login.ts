// The partner's login to the registry is the ordinary npm one. A command that needs it finds the
// token `npm login` saved; when there is none and a person is at the terminal, it runs `npm login`
// for that registry (npm prompts, creates the account on first use and saves the token), so a
// first publish needs no separate step.
import { spawnSync } from 'node:child_process';
import { assertRegistryReachable, cleanNpmEnv, registryWhoami } from '../marketplace/index.js';
import { authTokenFor } from './npm-config.js';

export interface RegistryLogin {
  registry: string;
  token: string;
  user: string;
}

export class NotLoggedInError extends Error {}

function notLoggedIn(registry: string, why: string): NotLoggedInError {
  return new NotLoggedInError(
    `not logged in to ${registry} (${why}): run "npm login --auth-type=legacy --registry ${registry}" and try again`,
  );
}

export async function ensureLogin(
  registry: string,
  cwd: string,
  interactive: boolean,
): Promise<RegistryLogin> {
  await assertRegistryReachable(registry);
  let token = authTokenFor(registry, cwd);
  let user = await registryWhoami(registry, token);
  if (user && token) return { registry, token, user };
  const why = token ? 'the registry refuses the saved token' : 'no token for it in your npm configuration';
  if (!interactive) throw notLoggedIn(registry, why);
  console.log(`\n${why}: logging in with npm (a new user name creates the account)`);
  // --auth-type=legacy: user name and password at the prompt, which every registry understands.
  const login = spawnSync('npm', ['login', '--auth-type=legacy', '--registry', registry], {
    cwd,
    stdio: 'inherit',
    env: cleanNpmEnv(),
  });
  if (login.status !== 0) throw notLoggedIn(registry, `npm login exited with ${login.status}`);
  token = authTokenFor(registry, cwd);
  user = await registryWhoami(registry, token);
  if (!user || !token) throw notLoggedIn(registry, 'npm login saved no usable token');
  return { registry, token, user };
}
