/**
 * The listing's screenshots: which ones, and where a test run writes them. A run writes them
 * under test/output/ (ignored by git), so `pnpm test` leaves the checkout as it found it; the
 * committed copies in docs/screenshots/ change only through `pnpm screenshots`
 * (refresh-screenshots.ts), which a person runs when the page's look changed on purpose.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import type { BrowserContextOptions } from "playwright-core";

/** Where the test writes them, on every run. */
export const TAKEN = fileURLToPath(new URL("../output/screenshots/", import.meta.url));
/** Where the README shows them from. */
export const COMMITTED = fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));

export const DESKTOP = { width: 1024, height: 700 };
export const PHONE = { width: 360, height: 740 };

/** Each screenshot's file name, and the browser it is taken in. */
export const SHOTS: [name: string, options: BrowserContextOptions][] = [
  ["listing-light.png", { viewport: DESKTOP, colorScheme: "light" }],
  ["listing-dark.png", { viewport: DESKTOP, colorScheme: "dark" }],
  ["listing-phone.png", { viewport: PHONE, colorScheme: "light", isMobile: true, hasTouch: true }],
];

/**
 * The page of a share that takes uploads, an upload on its way and one whose name is taken
 * (accessibility.test.ts takes it, in the browser of SHOTS' first).
 */
export const UPLOAD_SHOT = "listing-upload.png";
