/** Dead letters as the engine makes them (a customer the ERP refused), with the personal data they carry. */
import type { Engine } from '../../../src/engine/context.js';
import { deadLetterJob } from '../../../src/engine/jobs/kinds.js';
import { SyncError } from '../../../src/shared/errors.js';

export function customerRaw(id: string) {
  return { id: Number(id), email: `jane.${id}@example.com`, first_name: 'Jane', last_name: 'Doe', billing: { address_1: 'Elbweg 5', city: 'Hamburg', postcode: '20095', country: 'DE', phone: '+49 40 123' } };
}

export function buryCustomer(engine: Engine, id: string): Promise<string> {
  const raw = customerRaw(id);
  const mapped = { email: raw.email, firstName: 'Jane', lastName: 'Doe', addresses: [{ name: 'Jane Doe', street: 'Elbweg 5', city: 'Hamburg', zip: '20095', country: 'DE' }] };
  const error = new SyncError('invalid_data', `res.partner refused ${raw.email}: VAT number missing`, { entity: 'customer', record: raw.email });
  return engine.queue.bury(deadLetterJob({ entity: 'customer', source: 'shop', sourceId: id, label: raw.email, raw, data: mapped, error }), error);
}
