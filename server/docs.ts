/**
 * `/docs`: Swagger UI served from the `swagger-ui-dist` package on this server (no CDN, so the
 * page works offline), reading `/openapi.json`. Assets are read once, on first use.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { createRequire } from "node:module";
import type { Hono } from "hono";

const ASSETS = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
} as const;
type Asset = keyof typeof ASSETS;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>Chrysalis API docs</title>
<link rel="stylesheet" href="/docs/swagger-ui.css" />
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true, persistAuthorization: true });\n`;

const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'";

export function registerDocs<E extends object>(app: Hono<E & { Variables: Record<string, unknown> }>): void {
  const dir = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  const cache = new Map<Asset, Promise<Buffer>>();
  const read = (name: Asset) => {
    let p = cache.get(name);
    if (!p) {
      p = fs.readFile(path.join(dir, name));
      p.catch(() => cache.delete(name));
      cache.set(name, p);
    }
    return p;
  };
  app.get("/docs", (c) => c.html(PAGE, 200, { "Content-Security-Policy": CSP }));
  app.get("/docs/init.js", (c) => c.body(INIT, 200, { "Content-Type": ASSETS["swagger-ui-bundle.js"], "Cache-Control": "no-cache" }));
  for (const name of Object.keys(ASSETS) as Asset[]) {
    app.get(`/docs/${name}`, async (c) => c.body(new Uint8Array(await read(name)), 200, { "Content-Type": ASSETS[name], "Cache-Control": "public, max-age=86400" }));
  }
}
