// Copies the non-TypeScript files the compiled code reads at run time into dist/ (after `tsc`).
import { cpSync } from 'node:fs';

const assets = [['src/simulators/odoo/fields', 'dist/src/simulators/odoo/fields']];
for (const [from, to] of assets) cpSync(from, to, { recursive: true });
