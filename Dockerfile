# tongchou worker image. Debian-based: Temporal native bridge needs glibc (sdk-typescript#850).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# compile the CLI once (the image's user cannot write /app to build at start) and
# bundle the workflows once at build time; the worker loads the bundle (TONGCHOU_WORKFLOW_BUNDLE)
RUN node scripts/build.cjs && node -e "require('tsx/cjs'); require('./scripts/bundle-workflows.ts')" dist/workflow-bundle.js
USER node
CMD ["node", "bin/tongchou.cjs", "worker"]
