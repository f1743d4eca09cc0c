import { writeSafetySuite } from "./suite.ts";

writeSafetySuite("bun");
