import type { Command } from 'commander';
import { getCatalogueItem, getFramework, listCatalogueItems } from '../../catalogue/catalogue.service.js';
import type { CatalogueItem } from '../../catalogue/catalogue.schemas.js';
import { maxPageSize } from '../../platform/pagination.js';
import { cliCaller, openExistingContext, type GlobalOptions } from '../runtime.js';

interface ListOptions {
  framework?: string;
  kind?: string;
  assessable?: boolean;
  json?: boolean;
}

export function registerCatalogueCommands(program: Command, globals: () => GlobalOptions): void {
  const catalogue = program.command('catalogue').description('The clause and control catalogue and its crosswalks');

  catalogue
    .command('list')
    .description('List catalogue items in document order, one "ref<TAB>title" line each')
    .option('--framework <id>', 'only items of this framework: iso42001, nist-ai-rmf, eu-ai-act, gdpr or org')
    .option('--kind <kind>', 'only items of this kind, such as clause, control or subcategory')
    .option('--assessable', 'only items an assessment answers (clause leaves, controls, subcategories, obligations)')
    .option('--json', 'print the items as JSON')
    .action(async (options: ListOptions) => {
      const ctx = await openExistingContext(globals());
      try {
        if (options.framework !== undefined) await getFramework(ctx, cliCaller(), options.framework);
        const items: CatalogueItem[] = [];
        for (let offset = 0; ; offset += maxPageSize) {
          const page = await listCatalogueItems(ctx, cliCaller(), {
            framework: options.framework,
            kind: options.kind,
            assessable: options.assessable ? true : undefined,
            limit: maxPageSize,
            offset,
          });
          items.push(...page.items);
          if (items.length >= page.total || page.items.length === 0) break;
        }
        if (options.json) process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
        else for (const item of items) process.stdout.write(`${item.ref}\t${item.title}\n`);
        process.stderr.write(`${items.length} item${items.length === 1 ? '' : 's'}\n`);
      } finally {
        await ctx.close();
      }
    });

  catalogue
    .command('show')
    .description('Show one item with its summary, evidence guidance and crosswalk mappings')
    .argument('<ref>', 'catalogue ref, for example iso42001:A.6.2.4 or "nist-ai-rmf:GOVERN 1.1"')
    .action(async (ref: string) => {
      const ctx = await openExistingContext(globals());
      try {
        const { item, children, mappings } = await getCatalogueItem(ctx, cliCaller(), ref);
        const lines = [`${item.ref}  ${item.title}  (${item.kind})`];
        if (item.summary) lines.push('', item.summary);
        if (item.evidenceGuidance) lines.push('', `Evidence: ${item.evidenceGuidance}`);
        if (item.documentedInformation) lines.push('', `Documented information: ${item.documentedInformation}`);
        if (children.length > 0) lines.push('', 'Contains:', ...children.map((child) => `  ${child.ref}  ${child.title}`));
        if (mappings.length > 0) {
          lines.push('', 'Mappings:', ...mappings.map((mapping) => `  ${mapping.direction === 'to' ? 'maps to  ' : 'mapped from'} ${mapping.ref}  ${mapping.title}  [${mapping.crosswalkId}]`));
        }
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        await ctx.close();
      }
    });
}
