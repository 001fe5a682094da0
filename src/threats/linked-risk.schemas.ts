import { Type, type Static } from '@sinclair/typebox';
import { CreateRisk } from '../risks/risk.schemas.js';

const { aiSystemId: _aiSystemId, title: riskTitle, ...riskProperties } = CreateRisk.properties;

/** A new risk of the register, raised from a threat scenario or a red-team finding. Its AI system is the one of the scenario or finding. */
export const CreateLinkedRisk = Type.Object(
  { ...riskProperties, title: Type.Optional(riskTitle) },
  {
    $id: 'CreateLinkedRisk',
    additionalProperties: false,
    description: 'The fields of a new risk without aiSystemId; title defaults to the title of the scenario or finding, threat to its threat library item',
  },
);
export type CreateLinkedRisk = Static<typeof CreateLinkedRisk>;
