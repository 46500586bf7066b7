// Prisma's schema engine (migrations, diffs) as WebAssembly, so migrating needs no binary download.
// The npm package's own entry imports the .wasm file as an ES module, which Node cannot do without
// a flag; we instantiate it by hand the way wasm-bindgen's glue expects.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

let initialised: Promise<void> | undefined;

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

type PgResult = { fields: { dataTypeID: number }[]; rows: unknown[][] & { charColumns?: number[] } };
type Queryable = {
  performIO(query: unknown): Promise<PgResult>;
  queryRaw(query: unknown): Promise<{ columnTypes: number[]; rows: PgResult['rows'] }>;
  startTransaction?(isolationLevel?: unknown): Promise<unknown>;
};

/**
 * The engine describes a database through catalog queries returning PostgreSQL's one-byte
 * `"char"` type (e.g. `pg_constraint.contype`), which @prisma/adapter-pg 7.10 cannot map
 * ("Column type 'char' could not be deserialized"). pg decodes it as a string already, so we let
 * the adapter map it as text and then report the column as the engine's `Character` type.
 */
function acceptCharColumns<T>(target: T): T {
  const queryable = target as unknown as Queryable;
  const performIO = queryable.performIO.bind(queryable);
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.performIO = async (query) => {
    const result = await performIO(query);
    const charColumns = result.fields.flatMap((field, index) => (field.dataTypeID === PG_CHAR_OID ? [index] : []));
    for (const index of charColumns) result.fields[index]!.dataTypeID = PG_TEXT_OID;
    result.rows.charColumns = charColumns;
    return result;
  };
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const index of result.rows.charColumns ?? []) result.columnTypes[index] = ColumnTypeEnum.Character;
    return result;
  };
  const startTransaction = queryable.startTransaction?.bind(queryable);
  if (startTransaction) queryable.startTransaction = async (level) => acceptCharColumns(await startTransaction(level));
  return target;
}

// Node's global WebAssembly, typed just for what we use (the ES2023 lib does not declare it).
const wasmRuntime = (
  globalThis as unknown as {
    WebAssembly: { instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: object } }> };
  }
).WebAssembly;

/** The engine reports a Rust panic through this global before it throws; we keep the text. */
const panics: string[] = [];
(globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY = {
  set_message: (message: string) => panics.push(message),
};

function initialiseWasm(): Promise<void> {
  initialised ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');
    const { instance } = await wasmRuntime.instantiate(await readFile(wasmPath), { './schema_engine_bg.js': glue });
    const exports = instance.exports as { __wbindgen_start: () => void };
    glue.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return initialised;
}

type ScriptRunner = { executeScript(script: string): Promise<void> };

/**
 * @prisma/adapter-pg 7.10 runs a migration script by splitting it on every `;`, which cuts
 * PL/pgSQL function bodies apart. The native engine sends the script whole (PostgreSQL's simple
 * query protocol runs several statements in one call), and so do we.
 */
function runScriptsWhole<T extends ScriptRunner>(adapter: T): T {
  const internals = adapter as unknown as { client: pg.Pool | pg.PoolClient; onError(error: unknown): never };
  adapter.executeScript = async (script: string) => {
    try {
      await internals.client.query(script);
    } catch (error) {
      internals.onError(error);
    }
  };
  return adapter;
}

class MigrationPgAdapterFactory extends PrismaPg {
  constructor(private readonly databaseUrl: string) {
    super({ connectionString: databaseUrl });
  }

  /** Adapters the engine opened; it never closes them itself, so `close()` below does. */
  readonly opened: { dispose(): Promise<void> }[] = [];

  override async connect() {
    const adapter = acceptCharColumns(runScriptsWhole(await super.connect()));
    this.opened.push(adapter);
    return adapter;
  }

  /**
   * The adapter's own version builds the shadow pool from `{ connectionString, database }`, and pg
   * lets the connection string win, so it would replay migrations into the real database. We
   * create the throwaway database ourselves and point a URL at it.
   */
  override async connectToShadowDb() {
    const name = `prisma_migrate_shadow_db_${randomUUID().replaceAll('-', '')}`;
    const admin = new pg.Client({ connectionString: this.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    const shadowUrl = new URL(this.databaseUrl);
    shadowUrl.pathname = `/${name}`;
    const adapter = acceptCharColumns(runScriptsWhole(await new PrismaPg({ connectionString: shadowUrl.toString() }).connect()));
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
      await admin.end();
    };
    return adapter;
  }
}

export interface SchemaEngineHandle {
  engine: SchemaEngine;
  /** Logs the engine emitted; shown when a command fails. */
  logs: string[];
  /** Frees the engine and closes its database connections. */
  close(): Promise<void>;
}

/** Opens the schema engine on `databaseUrl`, for the given Prisma schema files. */
export async function openSchemaEngine(databaseUrl: string, datamodels: [path: string, content: string][]): Promise<SchemaEngineHandle> {
  await initialiseWasm();
  const logs: string[] = [];
  const factory = new MigrationPgAdapterFactory(databaseUrl);
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  const engine = await (glue.SchemaEngine as unknown as typeof SchemaEngine).new({ datamodels }, (line: string) => logs.push(line), adapter);
  return {
    engine,
    logs,
    async close() {
      engine.free();
      await Promise.all(factory.opened.splice(0).map((opened) => opened.dispose()));
    },
  };
}

/** Panic messages the engine reported since the last call. */
export function takePanics(): string[] {
  return panics.splice(0);
}
