import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { loadCatalogueFiles } from '../../src/catalogue/catalogue-files.js';
import type { CatalogueObligation } from '../../src/classification/eu-ai-act.js';

/** Shared inputs of the classification tests: the shipped catalogue's obligations and the example answer files. */

export const examplesDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../classification/examples');

/** Returns the EU AI Act and GDPR items of the shipped catalogue, shaped as the engine reads them from the database. */
export function catalogueObligations(): CatalogueObligation[] {
  const { frameworks } = loadCatalogueFiles();
  return frameworks
    .filter((framework) => ['eu-ai-act', 'gdpr'].includes(framework.data.framework.id))
    .flatMap((framework) =>
      framework.data.items.map((item, position) => ({
        ref: `${framework.data.framework.id}:${item.id}`,
        frameworkId: framework.data.framework.id,
        itemId: item.id,
        title: item.title,
        assessable: item.assessable,
        position,
        roles: (item.attributes?.roles as string[] | undefined) ?? [],
        appliesTo: (item.attributes?.appliesTo as string[] | undefined) ?? [],
      })),
    );
}

/** Reads one of the example answer files in classification/examples. */
export function exampleAnswers(name: string): Record<string, string | string[]> {
  return YAML.parse(fs.readFileSync(path.join(examplesDirectory, `${name}.yaml`), 'utf8')) as Record<string, string | string[]>;
}
