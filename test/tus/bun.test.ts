import { tusClientSuite } from "./suite.ts";

tusClientSuite("bun");
