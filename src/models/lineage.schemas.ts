import { Type, type Static, type TObject } from '@sinclair/typebox';
import { DeploymentEnvironment, LifecycleStage } from '../ai-systems/ai-system.schemas.js';
import { ThirdPartyComponent } from '../components/third-party-component.schemas.js';
import { Dataset, DatasetVersion } from '../datasets/dataset.schemas.js';
import { Model, ModelVersion } from './model.schemas.js';

/** The lineage of an AI system: what runs in each environment, and the data each model version was built from. */

/**
 * A copy of a record schema without its $id. The response serializer rejects a response schema
 * in which one $id appears twice, and a component or dataset may appear in several places here.
 */
const embedded = <T extends TObject>(schema: T) => Type.Object(schema.properties as T['properties'], { additionalProperties: false });

const ComponentOrNull = Type.Union([embedded(ThirdPartyComponent), Type.Null()], { description: 'The third-party component it comes from, if any' });

export const DatasetUse = Type.Object(
  { dataset: embedded(Dataset), datasetVersion: embedded(DatasetVersion), thirdPartyComponent: ComponentOrNull },
  { additionalProperties: false },
);
export type DatasetUse = Static<typeof DatasetUse>;

export const ModelVersionLineage = Type.Object(
  {
    model: embedded(Model),
    modelVersion: embedded(ModelVersion),
    thirdPartyComponent: ComponentOrNull,
    data: Type.Object(
      { training: Type.Array(DatasetUse), validation: Type.Array(DatasetUse), test: Type.Array(DatasetUse) },
      { additionalProperties: false, description: 'Dataset versions, with their SHA-256 fingerprints, by what they were used for' },
    ),
  },
  { additionalProperties: false },
);
export type ModelVersionLineage = Static<typeof ModelVersionLineage>;

export const AiSystemLineage = Type.Object(
  {
    aiSystem: Type.Object(
      { id: Type.String(), name: Type.String(), lifecycleStage: LifecycleStage, version: Type.Integer() },
      { additionalProperties: false },
    ),
    environments: Type.Array(
      Type.Object({ environment: DeploymentEnvironment, modelVersions: Type.Array(ModelVersionLineage) }, { additionalProperties: false }),
      {
        description:
          'One entry per environment the system declares or runs a model version in, in the order development, staging, production',
      },
    ),
  },
  { $id: 'AiSystemLineage', additionalProperties: false },
);
export type AiSystemLineage = Static<typeof AiSystemLineage>;
