/** Every simulated model, in dependency order. */
import type { ModelSpec } from '../orm/model.js';
import { baseModels } from './base.js';
import { partnerModels } from './partner.js';
import { productModels } from './product.js';

export const ALL_MODELS: ModelSpec[] = [...baseModels, ...partnerModels, ...productModels];
