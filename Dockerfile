# The kernel's production image: compiled JavaScript, production dependencies only, non-root, and
# nothing written outside ERP_DATA_DIR and /tmp (runs with a read-only root filesystem).
#   docker build -t erp-kernel .
# The same image runs the kernel (`start`, the default), the migrations (`migrate`, a one-shot job
# before a rollout) and the marketplace registry (`node /app/registry.mjs`, which publishes the
# first-party releases packed in /app/first-party when it lacks them); see deploy/README.md.
#
# Node 20 (isolated-vm 5 does not build for newer majors), Debian bookworm slim, pinned by digest so a
# rebuild gets the same base; bump it deliberately (`docker buildx imagetools inspect node:20-bookworm-slim`).
ARG NODE_IMAGE=node:20-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0

FROM ${NODE_IMAGE} AS build
# isolated-vm (the plugin sandbox) compiles from source with node-gyp: python3, make and g++, and the
# Node headers the base image ships in /usr/local/include/node.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV CI=true npm_config_nodedir=/usr/local COREPACK_INTEGRITY_KEYS=0
RUN npm install -g pnpm@10.34.9
WORKDIR /src
COPY . .
RUN pnpm install --frozen-lockfile
# The first-party releases (SDK, sandbox, kernel, test kit, plugins), compiled and packed for the
# image's registry to publish, signed, at run time (deploy/image/registry.mjs).
RUN node --import tsx deploy/image/pack-first-party.mjs /first-party
# Compile what the kernel loads (the SDK, the sandbox, the kernel, the marketplace client and
# registry) and the web shell, then copy the kernel with its production dependencies only.
RUN pnpm --filter @erp/sdk --filter @erp/sandbox --filter @erp/kernel run build \
 && pnpm exec tsc -p deploy/image/tsconfig.marketplace.json \
 && cp -r marketplace/src/registry/verdaccio-plugins marketplace/dist/registry/ \
 && pnpm --filter @erp/ui-shell run build
RUN pnpm --filter @erp/kernel deploy --prod --legacy /out \
 && node deploy/image/publish-exports.mjs /out \
 && cp -r ui-shell/dist /out/shell \
 && cp deploy/image/registry.mjs /out/registry.mjs \
 && cp -r /first-party /out/first-party

FROM ${NODE_IMAGE} AS runtime
# tini as PID 1: forwards SIGTERM to Node (which drains: the HTTP server stops accepting, in-flight
# requests finish, jobs and event deliveries get their grace period) and reaps zombies.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/erp \
 && chown 1000:1000 /var/lib/erp
# Owned by root and not writable by the process: the code cannot be changed at run time.
COPY --from=build /out /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    ERP_DATA_DIR=/var/lib/erp \
    ERP_SHELL_DIR=/app/shell
# Writable at run time: ERP_DATA_DIR (plugin store, mail files when no SMTP) and /tmp. Mount both
# (a volume or emptyDir, and a tmpfs) when the root filesystem is read-only.
VOLUME ["/var/lib/erp"]
# The `node` user of the base image.
USER 1000:1000
WORKDIR /app
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# --no-node-snapshot: isolated-vm's requirement (bin/erp.mjs would otherwise start Node a second time).
ENTRYPOINT ["/usr/bin/tini", "--", "node", "--no-node-snapshot", "/app/bin/erp.mjs"]
CMD ["start"]
