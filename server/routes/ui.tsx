/**
 * `GET /ui/users/{userId}`: the buyer page (server-rendered hono/jsx) from the latest stored
 * result; 404 page when there is none.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { ApiError } from "../errors.js";
import type { AppEnv } from "../middleware.js";
import { Id } from "../schemas.js";
import { BuyerPage, MissingPage } from "../ui/page.js";
import type { AppDeps } from "../deps.js";

export function registerUiRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.get("/ui/users/:userId", async (c) => {
    const parsed = Id.safeParse(c.req.param("userId"));
    if (!parsed.success) throw new ApiError("invalid_request", "userId: " + (parsed.error.issues[0]?.message ?? "invalid"));
    const userId = parsed.data;
    const stored = await deps.store.getLatest(userId);
    c.header("Cache-Control", "no-store");
    c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'");
    if (!stored) return c.html(<MissingPage userId={userId} />, 404);
    const ageSeconds = Math.max(0, (deps.now().getTime() - Date.parse(stored.storedAt)) / 1000);
    return c.html(<BuyerPage stored={stored} ageSeconds={ageSeconds} />);
  });
}
