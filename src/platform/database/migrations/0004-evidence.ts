import { sql, type Kysely } from 'kysely';
import { notBlank, oneOf, versioned } from './column-rules.js';

/*
 * Evidence: metadata of files kept in content-addressed storage under the data directory. The
 * file's SHA-256 names it on disk, so the client's file name is only ever metadata.
 */

const confidentialityLevels = ['public', 'internal', 'restricted'];
const kinds = [
  'policy',
  'procedure',
  'record',
  'report',
  'test_result',
  'log',
  'meeting_minutes',
  'training_record',
  'certificate',
  'contract',
  'screenshot',
  'other',
];

export async function up(db: Kysely<any>): Promise<void> {
  await versioned(db.schema.createTable('evidence'))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('kind', 'varchar(40)', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('collected_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('collected_by_person_id', 'varchar(64)', (col) => col.references('people.id'))
    .addColumn('valid_until', 'varchar(10)')
    .addColumn('confidentiality', 'varchar(16)', (col) => col.notNull())
    .addColumn('sha256', 'varchar(64)', (col) => col.notNull())
    .addColumn('size_bytes', 'bigint', (col) => col.notNull().check(sql`size_bytes >= 0`))
    .addColumn('media_type', 'varchar(255)', (col) => col.notNull())
    .addColumn('file_name', 'varchar(255)', (col) => col.notNull())
    .addColumn('uploaded_by', 'varchar(64)', (col) => col.notNull())
    .addCheckConstraint('evidence_title_not_blank', notBlank('title'))
    .addCheckConstraint('evidence_kind', oneOf('kind', kinds))
    .addCheckConstraint('evidence_confidentiality', oneOf('confidentiality', confidentialityLevels))
    .addCheckConstraint('evidence_sha256_format', sql`length(sha256) = 64`)
    .addCheckConstraint('evidence_valid_until_format', sql`valid_until is null or length(valid_until) = 10`)
    .execute();
  await db.schema.createIndex('evidence_valid_until').on('evidence').column('valid_until').execute();
  await db.schema.createIndex('evidence_sha256').on('evidence').column('sha256').execute();
  await db.schema.createIndex('evidence_collected_by').on('evidence').column('collected_by_person_id').execute();

  // One table for links to every kind of target. The target types are data in the evidence area,
  // not a check constraint, so that a new type needs no migration. Catalogue items get a foreign
  // key through their own column, so that a linked control of the organization cannot be deleted.
  await db.schema
    .createTable('evidence_links')
    .addColumn('evidence_id', 'varchar(64)', (col) => col.notNull().references('evidence.id'))
    .addColumn('target_type', 'varchar(32)', (col) => col.notNull())
    .addColumn('target_id', 'varchar(200)', (col) => col.notNull())
    .addColumn('catalogue_item_ref', 'varchar(200)', (col) => col.references('catalogue_items.ref'))
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('created_by', 'varchar(64)', (col) => col.notNull())
    .addPrimaryKeyConstraint('evidence_links_key', ['evidence_id', 'target_type', 'target_id'])
    .addCheckConstraint(
      'evidence_links_catalogue_item_ref',
      sql`(target_type = 'catalogue_item' and catalogue_item_ref = target_id) or (target_type <> 'catalogue_item' and catalogue_item_ref is null)`,
    )
    .execute();
  await db.schema.createIndex('evidence_links_target').on('evidence_links').columns(['target_type', 'target_id']).execute();
  await db.schema.createIndex('evidence_links_catalogue_item').on('evidence_links').column('catalogue_item_ref').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('evidence_links').ifExists().execute();
  await db.schema.dropTable('evidence').ifExists().execute();
}
