/** The middleware's fixture app (packages/hono/test/fixture-app.ts) as a Workers module, for workerd. */
import { createApp } from "../../packages/hono/test/fixture-app.ts";

export default createApp();
