// Loaded before a floor when it is profiled (bench/profile.mjs): exit on SIGTERM or SIGINT, so the
// runtime writes its CPU profile (a process killed by a signal writes none).
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => process.exit(0));
