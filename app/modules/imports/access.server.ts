import { forbiddenResponse, notFoundResponse } from "~/modules/auth/guards.server";
import type { Role } from "~/modules/auth/roles";
import { mayUseImportKind } from "./kinds";
import { findImportKind, importKindsFor } from "./kinds.server";
import type { AnyImportKindHandler } from "./registry.server";
import type { BatchViewer } from "./service.server";

type WithRoles = { roles: readonly Role[] };

/**
 * The import pages are for whoever may import at least one kind (the organization department for units
 * and cadres; venue staff for theirs); anyone else gets 403. Returns the kinds they may use.
 */
export function requireImportAccess(user: WithRoles): AnyImportKindHandler[] {
  const kinds = importKindsFor(user);
  if (!kinds.length) throw forbiddenResponse();
  return kinds;
}

/** A kind the user's roles may import: an unknown id answers 404, someone else's kind 403. */
export function requireImportKind(user: WithRoles, kind: string): AnyImportKindHandler {
  const handler = findImportKind(kind);
  if (!handler) throw notFoundResponse();
  if (!mayUseImportKind(user, handler)) throw forbiddenResponse();
  return handler;
}

/**
 * Which batches a user sees: the organization department every batch of the kinds it may import;
 * anyone else (venue staff) only their own uploads. A batch outside this answers 404 on every route.
 */
export function batchViewer(user: WithRoles & { id: number }): BatchViewer {
  return {
    userId: user.id,
    kinds: importKindsFor(user).map((k) => k.kind),
    everyBatch: user.roles.includes("org_admin"),
  };
}
