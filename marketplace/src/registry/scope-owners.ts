// Who owns which scope: the first registry user to publish under `@scope` (or, for an unscoped
// package, under that exact name) owns it; everyone else is refused. One JSON file in storage.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const SCOPE_OWNERS_FILE = 'scope-owners.json';

/** `@acme/thing` → `@acme`; `thing` → `thing`. */
export function ownershipKey(packageName: string): string {
  return packageName.startsWith('@') ? (packageName.split('/')[0] ?? packageName) : packageName;
}

export class ScopeOwners {
  private readonly file: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly storage: string) {
    this.file = join(storage, SCOPE_OWNERS_FILE);
  }

  async ownerOf(packageName: string): Promise<string | undefined> {
    return (await this.read())[ownershipKey(packageName)];
  }

  /**
   * Claims the package's scope for `user` unless someone else holds it; answers the owner after
   * the call. Serialised, so two first publishes cannot both win.
   */
  claim(packageName: string, user: string): Promise<string> {
    const key = ownershipKey(packageName);
    const run = this.queue.then(async () => {
      const owners = await this.read();
      const current = owners[key];
      if (current !== undefined) return current;
      owners[key] = user;
      await this.write(owners);
      return user;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Pre-assigns owners (e.g. `@erp` to the kernel's seeding user) without overriding existing ones. */
  async reserve(owners: Record<string, string>): Promise<void> {
    for (const [key, user] of Object.entries(owners))
      await this.claim(key.startsWith('@') ? `${key}/x` : key, user);
  }

  private async read(): Promise<Record<string, string>> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as Record<string, string>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
  }

  private async write(owners: Record<string, string>): Promise<void> {
    await mkdir(this.storage, { recursive: true });
    const temp = `${this.file}.${randomUUID()}.tmp`;
    await writeFile(temp, `${JSON.stringify(owners, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, this.file);
  }
}
