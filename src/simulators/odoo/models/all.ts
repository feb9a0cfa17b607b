/** Every simulated model, in dependency order. */
import type { ModelSpec } from '../orm/types.js';
import { baseModels } from './base.js';
import { partnerModels } from './partner.js';
import { productModels } from './product.js';
import { stockModels } from './stock.js';
import { stockWizardModels } from './stock-wizards.js';
import { saleModels } from './sale.js';
import { accountModels } from './account.js';
import { financeWizardModels } from './finance-wizards.js';
import { saleWizardModels } from './sale-wizards.js';
import { securityModels } from './security.js';

export const ALL_MODELS: ModelSpec[] = [...baseModels, ...partnerModels, ...productModels, ...accountModels, ...stockModels, ...stockWizardModels, ...saleModels, ...saleWizardModels, ...financeWizardModels, ...securityModels];
