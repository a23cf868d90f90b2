// Loaded before the app's modules (a classic script runs before deferred module scripts). zod
// probes for `new Function` as it builds each schema, which happens while the modules are being
// evaluated; the page's Content-Security-Policy forbids eval, so the browser would report the
// refused probe as a violation. zod reads its settings from this global: with `jitless` it never
// probes and parses the same way, without generated code.
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });
