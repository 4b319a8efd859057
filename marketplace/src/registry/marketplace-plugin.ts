// The one verdaccio plugin of the marketplace, loaded both as an auth plugin (scope ownership) and
// as a middleware plugin (registry keys, publish-time signing, publisher-key routes). verdaccio
// registers middleware plugins after its JWT check and before its own routes, so `req.remote_user`
// is known here and a publish body can be changed before verdaccio stores it.
import type { ServerResponse } from 'node:http';
import { errorUtils } from 'verdaccio';
import { MarketplaceError } from '../errors.js';
import type { PublisherKeyStore } from '../publisher-signatures/index.js';
import { keysDocument, type RegistryKey } from '../registry-signatures/index.js';
import { type ExpressApp, handle, type RegistryRequest, readJsonBody, sendJson, userOf } from './http.js';
import { isTarballPublish, signPublish } from './publish-signing.js';
import { registerPublisherKeyRoutes } from './publisher-key-routes.js';
import { ownershipKey, type ScopeOwners } from './scope-owners.js';

type Callback = (error: unknown, ok?: boolean) => void;
interface VerdaccioUser {
  name?: string | null;
}
interface VerdaccioPackage {
  name: string;
}

export interface MarketplacePluginOptions {
  owners: ScopeOwners;
  registryKey: RegistryKey;
  publisherKeys: PublisherKeyStore;
  maxBodyBytes: number;
}

export class MarketplacePlugin {
  constructor(private readonly options: MarketplacePluginOptions) {}

  /** First publisher of a scope claims it; anybody else is refused with a message naming the owner. */
  allow_publish = (user: VerdaccioUser, pkg: VerdaccioPackage, callback: Callback): void => {
    this.checkOwner(user, pkg, true, callback);
  };

  allow_unpublish = (user: VerdaccioUser, pkg: VerdaccioPackage, callback: Callback): void => {
    this.checkOwner(user, pkg, false, callback);
  };

  register_middlewares = (app: ExpressApp): void => {
    const { registryKey, publisherKeys, maxBodyBytes } = this.options;
    app.get('/-/npm/v1/keys', (_req, res) => sendJson(res, 200, keysDocument(registryKey)));
    registerPublisherKeyRoutes(app, publisherKeys);
    // The old two-step publish (metadata, then a bare tarball upload) would skip signing: refused.
    app.put('/:package/-/:filename/*', (_req, res) =>
      sendProblem(
        res,
        new MarketplaceError(
          'publish_method_unsupported',
          'upload the tarball inside the publish document',
          405,
        ),
      ),
    );
    app.put(
      '/:package/:_rev?/:revision?',
      handle(async (req: RegistryRequest, _res, next) => {
        const user = userOf(req);
        if ((req.params.package ?? '-').startsWith('-') || !user) return next();
        const body = await readJsonBody(req, maxBodyBytes);
        if (isTarballPublish(body)) await signPublish(body, user, registryKey, publisherKeys);
        next();
      }),
    );
  };

  private checkOwner(user: VerdaccioUser, pkg: VerdaccioPackage, claim: boolean, callback: Callback): void {
    const name = user.name;
    // Not logged in: roll on to verdaccio's own rules, which answer 401.
    if (!name) {
      callback(null, false);
      return;
    }
    const owners = this.options.owners;
    const owner = claim ? owners.claim(pkg.name, name) : owners.ownerOf(pkg.name);
    owner.then(
      (current) => {
        if (current === undefined || current === name) {
          callback(null, current === name);
          return;
        }
        callback(
          errorUtils.getForbidden(
            `${ownershipKey(pkg.name)} belongs to another publisher (${current}); ${name} may not publish ${pkg.name}`,
          ),
        );
      },
      (error: unknown) => callback(error),
    );
  }
}

function sendProblem(res: ServerResponse, error: MarketplaceError): void {
  sendJson(res, error.status, error.toProblem(), 'application/problem+json');
}
