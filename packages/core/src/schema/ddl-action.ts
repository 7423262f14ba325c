/**
 * TiDB DDL job enums (`parser/model/ddl.go`, v7.1) as plain numbers, and the drainer's rules over them
 * (tidb-binlog.md §3.6–§3.7).
 */

/** `model.ActionType` values the tracker treats specially; every other value goes through the generic path. */
export const ActionType = {
  CreateSchema: 1,
  DropSchema: 2,
  CreateTable: 3,
  DropTable: 4,
  AddColumn: 5,
  DropColumn: 6,
  AddIndex: 7,
  DropIndex: 8,
  TruncateTable: 11,
  ModifyColumn: 12,
  RenameTable: 14,
  SetDefaultValue: 15,
  AddTablePartition: 19,
  DropTablePartition: 20,
  CreateView: 21,
  ModifyTableCharsetAndCollate: 22,
  TruncateTablePartition: 23,
  DropView: 24,
  RecoverTable: 25,
  ModifySchemaCharsetAndCollate: 26,
  LockTable: 27,
  UnlockTable: 28,
  UpdateTiFlashReplicaStatus: 31,
  CreateSequence: 34,
  DropSequence: 36,
  ExchangeTablePartition: 42,
  RenameTables: 47,
  AlterTableAttributes: 49,
  AlterTablePartitionAttributes: 50,
  CreatePlacementPolicy: 51,
  AlterPlacementPolicy: 52,
  DropPlacementPolicy: 53,
  AlterTablePartitionPlacement: 54,
  ModifySchemaDefaultPlacement: 55,
  AlterTablePlacement: 56,
  AlterCacheTable: 57,
  AlterNoCacheTable: 59,
  CreateTables: 60,
  MultiSchemaChange: 61,
  ReorganizePartition: 64,
  CreateResourceGroup: 68,
  AlterResourceGroup: 69,
  DropResourceGroup: 70,
} as const;

/** `model.JobState`. */
export const JobState = {
  None: 0,
  Running: 1,
  RollingBack: 2,
  RollbackDone: 3,
  Done: 4,
  Cancelled: 5,
  Synced: 6,
  Cancelling: 7,
  Queueing: 8,
} as const;

/** `model.SchemaState`. */
export const SchemaState = {
  None: 0,
  DeleteOnly: 1,
  WriteOnly: 2,
  WriteReorganization: 3,
  DeleteReorganization: 4,
  Public: 5,
  ReplicaOnly: 6,
} as const;

/**
 * Job types the drainer neither applies to its schema nor replicates (§3.7): placement, TiFlash, cache-table,
 * attributes, lock and resource-group jobs change nothing a downstream needs.
 */
const SKIPPED_JOB_TYPES: ReadonlySet<number> = new Set([
  ActionType.UpdateTiFlashReplicaStatus,
  ActionType.LockTable,
  ActionType.UnlockTable,
  ActionType.AlterCacheTable,
  ActionType.AlterNoCacheTable,
  ActionType.AlterTableAttributes,
  ActionType.AlterTablePartitionAttributes,
  ActionType.CreatePlacementPolicy,
  ActionType.AlterPlacementPolicy,
  ActionType.DropPlacementPolicy,
  ActionType.AlterTablePartitionPlacement,
  ActionType.ModifySchemaDefaultPlacement,
  ActionType.AlterTablePlacement,
  ActionType.CreateResourceGroup,
  ActionType.AlterResourceGroup,
  ActionType.DropResourceGroup,
]);

export function isSkippedJobType(type: number): boolean {
  return SKIPPED_JOB_TYPES.has(type);
}

/** Only finished jobs change the schema; cancelled and rolled-back ones leave it as it was. */
export function isJobFinished(state: number): boolean {
  return state === JobState.Done || state === JobState.Synced;
}

/**
 * TiDB's `meta.MaxGlobalID` (0xFFFFFFFFFFFF − 1000): ids above it belong to DDL-internal system tables, which the
 * drainer on TiDB master ignores in jobs and mutations; TiDB v7.1 never emits them (spec §0.1, §14 q2).
 */
export const MAX_GLOBAL_ID = 0xffffffffffff - 1000;
