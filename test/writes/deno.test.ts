import { writeSafetySuite } from "./suite.ts";

writeSafetySuite("deno");
