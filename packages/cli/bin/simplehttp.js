#!/usr/bin/env node
// The built CLI lives in dist/; this stable file lets the bin link exist before the first build.
import "../dist/cli.js";
