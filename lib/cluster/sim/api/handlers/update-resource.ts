import type { ResourceType } from "../../store/resource-types";
import { badRequest, conflict, notFound } from "../../store/status-error";
import type { KubeObject } from "../../store/types";
import { prepareUpdate } from "../admission/admission-chain";
import type { FieldOwnership } from "../apply/field-manager";
import { updateOwnership } from "../apply/field-manager";
import { managedFieldsAfterUpdate, type ManagedFieldsEntry } from "../apply/managed-fields";
import { applyUpdateDefaults } from "../defaults";
import { nowStamp } from "./create-resource";
import { validateUpdate } from "../validate";
import { checkUnknownFields } from "./field-validation";
import { readObjectBody } from "./object-body";
import { sendObject } from "./object-response";
import { isDryRun, type RequestScope, type RestApiDeps } from "./request-scope";
import { asServed, asStored } from "./served-object";

/** PUT of a named object: the whole object replaces the stored one. */
export async function updateResource(scope: RequestScope): Promise<void> {
  const { req, res, rt, key, namespace, query, target, deps } = scope;
  const body = await readObjectBody(req, rt, namespace);
  if (body.metadata.name && body.metadata.name !== target.name) {
    throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${target.name})`);
  }
  body.metadata.name = target.name;
  checkUnknownFields(rt, body, query, res, false);
  const cur = deps.store.get(key, namespace, target.name!);
  if (!cur) {
    // PUT to a missing object creates it for kinds that allow create-on-update (most do not).
    throw notFound(rt, target.name!);
  }
  const updated = updateObject(deps, rt, key, body, cur, isDryRun(query), updateOwnership(scope));
  sendObject(scope, 200, updated);
}

/** Defaults, validates and stores the next version of an object (shared by update and patch). */
export function updateObject(deps: RestApiDeps, rt: ResourceType, key: string, next: KubeObject, cur: KubeObject, dryRun: boolean, ownership?: FieldOwnership): KubeObject {
  next = asStored(rt, next);
  next.metadata.namespace = cur.metadata.namespace;
  applyUpdateDefaults(key, next, cur);
  prepareUpdate(rt, key, next);
  validateUpdate(rt, key, next, cur);
  if (next.metadata.uid && next.metadata.uid !== cur.metadata.uid) {
    throw conflict(rt, cur.metadata.name ?? "", `Precondition failed: UID in precondition: ${next.metadata.uid}, UID in object meta: ${cur.metadata.uid}`);
  }
  next.metadata.managedFields = ownedFields(cur, next, ownership, nowStamp(deps));
  return asServed(rt, deps.store.update(key, next, { dryRun }));
}

/**
 * managedFields of the next version: an apply's own entries; entries the write itself replaces
 * (kubectl's client-side-apply migration patches them); otherwise the Update manager's record.
 */
function ownedFields(cur: KubeObject, next: KubeObject, ownership: FieldOwnership | undefined, now: string): ManagedFieldsEntry[] | undefined {
  if (ownership && "applied" in ownership) return ownership.applied;
  const given = next.metadata.managedFields;
  if (Array.isArray(given) && given.length && JSON.stringify(given) !== JSON.stringify(cur.metadata.managedFields)) return given as ManagedFieldsEntry[];
  const base = { ...next, metadata: { ...next.metadata, managedFields: cur.metadata.managedFields } };
  if (!ownership) return cur.metadata.managedFields as ManagedFieldsEntry[] | undefined;
  return managedFieldsAfterUpdate(cur, base, ownership.update, now);
}
