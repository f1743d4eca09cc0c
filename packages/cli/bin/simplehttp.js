#!/usr/bin/env node
// The bundled command lives in bundle/ (scripts/bundle.mjs); this stable file lets the bin link
// exist before the first build.
import "../bundle/cli.js";
