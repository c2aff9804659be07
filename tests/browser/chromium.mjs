// What the scripts here share: their arguments (a built site and pages in it) and
// Debian's chromium, started without anything that reaches the network on its own.
import { chromium } from 'playwright-core';

/** The site folder and the pages given on the command line; exits with `usage` if none. */
export function sitePages(usage) {
  const [site, ...pages] = process.argv.slice(2);
  if (!site || pages.length === 0) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  return { site, pages };
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
}
