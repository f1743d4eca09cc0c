import { tusClientSuite } from "./suite.ts";

tusClientSuite("deno");
