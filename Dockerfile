# syntax=docker/dockerfile:1
# Social-Media-Register: container image of the portal.
#   docker build -t social-media-register .
# The app runs TypeScript through tsx (a runtime dependency); there is no compile step.
# .dockerignore admits only what the image needs (src, views, migrations, directory, public,
# package*.json, tsconfig.json).

ARG NODE_IMAGE=node:20-bookworm-slim

# --- deps: every dependency, for the type check -------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# --- check: the image is only built from code that type-checks; collects the app files -----
FROM deps AS check
COPY . .
RUN npx tsc --noEmit \
 && mkdir /out \
 && cp package.json package-lock.json tsconfig.json /out/ \
 && for d in src views migrations directory public; do if [ -d "$d" ]; then cp -R "$d" /out/; fi; done

# --- runtime ---------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force
# Code and templates belong to root and stay read-only for the app user; only data/ is
# writable (DATA_DIR, used by the embedded database outside production).
COPY --from=check /out/ ./
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node directly (not npm): it receives SIGTERM itself (see STACK-NOTES).
CMD ["node", "--import", "tsx", "src/server.ts"]
