// Runs `npm ci` unless node_modules already matches package-lock.json (kept as a hash in
// node_modules/.rehoboam-lock-sha256 after a successful install), so repeated builds cost nothing
// and a fresh clone, or a changed lockfile, always gets a clean install from the registry.
// The same pattern as rehoboam-test-support/scripts/ensure-node-modules.js.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const lock = fs.readFileSync(path.join(root, 'package-lock.json'));
const wanted = crypto.createHash('sha256').update(lock).digest('hex');
const marker = path.join(root, 'node_modules', '.rehoboam-lock-sha256');
const required = ['vite', 'typescript', 'playwright-core'].map((p) => path.join(root, 'node_modules', p, 'package.json'));

const current = fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8').trim() : '';
if (current === wanted && required.every((f) => fs.existsSync(f))) {
  console.log('node_modules is current (' + wanted.slice(0, 12) + ')');
  process.exit(0);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('npm ci failed with status ' + result.status);
  process.exit(result.status || 1);
}
const missing = required.filter((f) => !fs.existsSync(f));
if (missing.length) {
  console.error('npm ci finished but these are missing: ' + missing.join(', '));
  process.exit(1);
}
fs.writeFileSync(marker, wanted + '\n');
console.log('installed node_modules (' + wanted.slice(0, 12) + ')');
