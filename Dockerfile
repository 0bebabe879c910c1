# defender-hub: `docker build -t defender-hub .`, then `docker run -p 8080:8080 -v defender-hub:/data defender-hub`
# (README, "Container"). Any Debian-based image with Node.js 22.22+ (24 LTS recommended) and npm works as the base.
ARG BASE_IMAGE=node:24-bookworm-slim

# ---- build: dependencies and the compiled sources (SQLite is Node's own node:sqlite: nothing native to compile) ----
FROM ${BASE_IMAGE} AS build
WORKDIR /app
ENV npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
# The dependencies first, in a layer of their own that a change to the sources does not rebuild. No scripts yet
# (the `prepare` script builds sources that are not here); `npm rebuild` then runs the dependencies' own.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --ignore-scripts && npm rebuild
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
RUN npm run build
# Runtime files only: no source maps (nor their trailers), no dev dependencies.
RUN find dist -name '*.map' -delete \
    && find dist -name '*.js' -exec sed -i -e '/^\/\/# sourceMappingURL=/d' {} + \
    && npm prune --omit=dev

# ---- runtime: the compiled hub and its production dependencies, run as a user without privileges ----
FROM ${BASE_IMAGE}
ENV NODE_ENV=production \
    HUB_DATA_DIR=/data \
    PORT=8080
RUN groupadd --system --gid 10001 hub \
    && useradd --system --uid 10001 --gid hub --home-dir /data --no-create-home --shell /usr/sbin/nologin hub \
    && mkdir -p /data \
    && chown hub:hub /data \
    && chmod 0700 /data \
    && ln -s /app/bin/defender-hub.js /usr/local/bin/defender-hub
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
COPY --from=build /app/node_modules ./node_modules
USER 10001:10001
# The SQLite database, the key file secret.key (without HUB_SECRET_KEY) and the sealed credentials' key live here.
VOLUME ["/data"]
EXPOSE 8080
# Node.js itself asks: the base may have no curl or wget. Only `serve` answers; compose switches it off for workers.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "/app/bin/defender-hub.js"]
CMD ["serve", "--host", "0.0.0.0"]
