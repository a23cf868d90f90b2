import { z } from 'zod';
import { QualificationSchema, RequirementWordingSchema, UnitSchema } from './unit-schema.ts';

/** The JSON Schemas editors use to check data files as they are typed, generated from the zod model. */
export function buildJsonSchemas(): Record<'unit.schema.json' | 'qualification.schema.json' | 'requirement-wording.schema.json', string> {
  const render = (schema: z.ZodType, title: string) => `${JSON.stringify({ title, ...z.toJSONSchema(schema, { io: 'input' }) }, null, 2)}\n`;
  return {
    'unit.schema.json': render(UnitSchema, 'Attest unit (generated from packages/standards/src/unit-schema.ts; do not edit)'),
    'qualification.schema.json': render(QualificationSchema, 'Attest qualification (generated from packages/standards/src/unit-schema.ts; do not edit)'),
    'requirement-wording.schema.json': render(RequirementWordingSchema, 'Attest evidence-requirement wording a centre supplies (generated from packages/standards/src/unit-schema.ts; do not edit)'),
  };
}
