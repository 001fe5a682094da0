import fs from 'node:fs';
import { screenshotDir } from './workspace.js';

/** Vitest global setup: after the run, names the folder that holds the screenshots of the main screens. */
export default function setup(): () => void {
  const started = Date.now();
  return () => {
    const fresh = fs.existsSync(screenshotDir)
      ? fs.readdirSync(screenshotDir).filter((name) => name.endsWith('.png') && fs.statSync(`${screenshotDir}/${name}`).mtimeMs >= started)
      : [];
    if (fresh.length > 0) process.stdout.write(`\nScreenshots of ${fresh.length} screens of the web app: ${screenshotDir}\n`);
  };
}
