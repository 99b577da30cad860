/**
 * The one undo table: every kind of undo any part of kubeproof journals, gathered from the modules that
 * define them. The After hook, SIGINT/SIGTERM and --janitor all replay through it.
 */
import { FAULTS } from './faults/registry.ts';
import { deleteNamespace, undoTable } from './journal/undo.ts';
import { stopLoad } from './load/load.ts';
import { deleteLoadJob } from './load/in-cluster.ts';
import { deleteMirror } from './load/target.ts';
import type { UndoDefinition, UndoTable } from './journal/undo.ts';

/** Undo kinds by name. */
export const UNDOS: UndoTable = undoTable([
  deleteNamespace as UndoDefinition<never>,
  stopLoad as UndoDefinition<never>,
  deleteMirror as UndoDefinition<never>,
  deleteLoadJob as UndoDefinition<never>,
  ...Object.values(FAULTS).flatMap((f) => ('undos' in f && f.undos ? f.undos : [])),
]);
