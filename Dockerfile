# Vigil: one image with the server, the console and the simulator.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production DATA_DIR=/var/lib/vigil CONSOLE_DIR=/app/dist/console
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN mkdir -p /var/lib/vigil && chown node:node /var/lib/vigil
USER node
VOLUME ["/var/lib/vigil"]
EXPOSE 3000 1883 8883
# HEALTH_URL: https://... when Vigil serves TLS (with NODE_EXTRA_CA_CERTS naming its CA).
ENV HEALTH_URL=http://127.0.0.1:3000/health
HEALTHCHECK --interval=15s --timeout=3s CMD node -e "fetch(process.env.HEALTH_URL).then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/server/apps/server/src/main.js"]
