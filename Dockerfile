# syntax=docker/dockerfile:1
#
# The CRM server with the web app, API docs and playgrounds on one port.
#   docker build -t crm-server .
#   docker run -p 1337:1337 -v crm-data:/data crm-server
# Several instances behind a proxy: deploy/compose.yaml and docs/DEPLOY.md.

ARG NODE_IMAGE=node:20-bookworm-slim

# Native modules (better-sqlite3, bcrypt) compile from source when no prebuilt binary fits the platform.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# swagger-ui-dist pulls in an install-time analytics hook; a build should not report itself anywhere.
ENV SCARF_ANALYTICS=false \
    npm_config_fund=false \
    npm_config_audit=false \
    npm_config_update_notifier=false
WORKDIR /src
# Manifests first: the dependency layers are rebuilt only when a manifest or the lockfile changes.
COPY package.json package-lock.json ./
COPY packages/server/package.json packages/server/
COPY packages/app/package.json packages/app/
COPY packages/bench/package.json packages/bench/

FROM toolchain AS build
RUN npm ci
COPY . .
# Builds every workspace that has a build script: the server (tsc → packages/server/dist) and the app.
RUN npm run build \
 && test -f packages/server/dist/main.js \
 && mkdir -p packages/app/dist

# Only what the server needs at run time: no app toolchain, no test or benchmark packages.
FROM toolchain AS prod-deps
RUN npm ci --omit=dev --workspace @crm/server \
 && mkdir -p packages/server/node_modules

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=1337 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=prod-deps /src/package.json ./
COPY --from=prod-deps /src/node_modules ./node_modules
COPY --from=prod-deps /src/packages/server/package.json packages/server/
COPY --from=prod-deps /src/packages/server/node_modules packages/server/node_modules
COPY --from=build /src/packages/server/dist packages/server/dist
# The server serves the built app from here by default (an empty folder when the app has no build).
COPY --from=build /src/packages/app/dist packages/app/dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 1337
# Node's own fetch: the slim image has neither curl nor wget.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||1337)+'/parse/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "packages/server/dist/main.js"]
