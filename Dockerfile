# syntax=docker/dockerfile:1
# Social-Media-Register: container image of the portal.
#   docker build -t social-media-register .
# The build stage compiles src/ and migrations/ to JavaScript (`npm run build`, dist/); the
# runtime stage runs that compiled code with production dependencies only: no TypeScript, no
# tsx, no esbuild in the image. .dockerignore admits only what the build needs (src, views,
# migrations, directory, public, package*.json, tsconfig*.json).

ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: every dependency, type check and compile to dist/ ------------------------------
# tsc type-checks while it compiles and fails the build on any error: the image is only built
# from code that type-checks. Collects what the runtime needs in /out.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && mkdir /out \
 && for d in dist views directory public; do if [ -d "$d" ]; then cp -R "$d" /out/; fi; done

# --- runtime ---------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
# V8's heap for a small service (bench/RESULTS.md, "Memory under the mixed load"): the live heap
# is ~35 MB, but with the defaults V8 sizes its heap for the machine (gigabytes) and lets garbage
# pile up to 140+ MB under load before it collects; a 256 MB old space (7x the live heap, a hard
# limit) makes it collect sooner, and 4 MB semi-spaces (default 16) keep the young generation small.
ENV NODE_OPTIONS="--max-semi-space-size=4 --max-old-space-size=256"
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force
# Code and templates belong to root and stay read-only for the app user; only data/ is
# writable (DATA_DIR, used by the embedded database outside production).
COPY --from=build /out/ ./
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node directly (not npm): it receives SIGTERM itself (see STACK-NOTES). The compiled server
# (npm run start:prod); the command-line tools likewise, e.g. `node dist/src/cli/migrate.js`.
CMD ["node", "dist/src/server.js"]
