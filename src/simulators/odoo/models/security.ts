/**
 * ir.model and ir.rule as data (the record rules of the sale/account modules, seed-rules.ts). Like real Odoo
 * 17/19, only "Administration / Access Rights" may read them (orm/access.ts), so `tandem check` cannot and
 * does not; the rows the salesman actually sees are filtered by `ruleFilter` (orm/access.ts), which
 * implements the same seeded rules.
 */
import type { ModelSpec } from '../orm/types.js';

export const securityModels: ModelSpec[] = [
  {
    name: 'ir.model',
    description: 'Models',
    order: 'model',
    indexes: ['model'],
    fields: {
      name: { type: 'char', string: 'Model Description', required: true },
      model: { type: 'char', string: 'Model', required: true },
    },
    displayName: (_env, r) => String(r.name),
  },
  {
    name: 'ir.rule',
    description: 'Record Rule',
    order: 'model_id DESC, id',
    fields: {
      name: { type: 'char', string: 'Name' },
      active: { type: 'boolean', string: 'Active' },
      model_id: { type: 'many2one', relation: 'ir.model', string: 'Model', required: true },
      groups: { type: 'many2many', relation: 'res.groups', string: 'Groups' },
      domain_force: { type: 'text', string: 'Domain' },
      perm_read: { type: 'boolean', string: 'Read' },
      perm_write: { type: 'boolean', string: 'Write' },
      perm_create: { type: 'boolean', string: 'Create' },
      perm_unlink: { type: 'boolean', string: 'Delete' },
      global: { type: 'boolean', string: 'Global', readonly: true },
    },
    defaults: () => ({ active: true, perm_read: true, perm_write: true, perm_create: true, perm_unlink: true }),
    displayName: (_env, r) => String(r.name ?? ''),
  },
];
