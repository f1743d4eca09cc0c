import { writeSafetySuite } from "./suite.ts";

writeSafetySuite("node");
