import { tusClientSuite } from "./suite.ts";

tusClientSuite("node");
