import { randomUUID } from "node:crypto";
import type { ResourceType } from "../../store/resource-types";
import { invalid, methodNotAllowed } from "../../store/status-error";
import type { KubeObject } from "../../store/types";
import { admitMutating, admitValidating, generateName } from "../admission/admission-chain";
import { admitCsr, CSR_KEY, prepareCsrForCreate } from "../certificates/csr-strategy";
import type { FieldOwnership } from "../apply/field-manager";
import { updateOwnership } from "../apply/field-manager";
import { managedFieldsAfterUpdate } from "../apply/managed-fields";
import { applyCreateDefaults } from "../defaults";
import { validateObject } from "../validate";
import { checkUnknownFields } from "./field-validation";
import { readObjectBody } from "./object-body";
import { sendObject } from "./object-response";
import { isDryRun, METHOD_NOT_ALLOWED, type RequestScope, type RestApiDeps } from "./request-scope";
import { asServed, asStored } from "./served-object";

/** POST to a collection. */
export async function createResource(scope: RequestScope): Promise<void> {
  const { req, res, rt, key, namespace, query, target } = scope;
  const body = await readObjectBody(req, rt, namespace);
  if (target.name) throw methodNotAllowed(METHOD_NOT_ALLOWED);
  checkUnknownFields(rt, body, query, res, false);
  if (key === CSR_KEY) {
    prepareCsrForCreate(body, scope.user);
    // Validation first, then the validating admission plugin (CertificateSubjectRestriction).
    validateObject(rt, key, body);
    admitCsr(body);
  }
  const created = createObject(scope.deps, rt, key, body, namespace, isDryRun(query), updateOwnership(scope));
  sendObject(scope, 201, created);
}

/**
 * Defaults, validates and stores a new object, as the create handler does; also the way
 * in-process callers (bootstrap) create objects through the API's rules.
 */
export function createObject(deps: RestApiDeps, rt: ResourceType, key: string, body: KubeObject, ns: string | undefined, dryRun = false, ownership?: FieldOwnership): KubeObject {
  body = asStored(rt, body);
  const uid = randomUUID();
  body.metadata.uid = uid;
  if (rt.namespaced) body.metadata.namespace = ns ?? body.metadata.namespace ?? "default";
  applyCreateDefaults(key, body, { store: deps.store });
  admitMutating(deps.store, rt, key, body);
  if (!body.metadata.name && !body.metadata.generateName) {
    throw invalid(rt, "", [{ reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name" }]);
  }
  generateName(deps.store, key, body);
  validateObject(rt, key, body.metadata.name ? body : { ...body, metadata: { ...body.metadata, name: `${body.metadata.generateName}x` } });
  admitValidating(deps.store, key, body, deps.clock.now());
  if (ownership) body.metadata.managedFields = "applied" in ownership ? ownership.applied : managedFieldsAfterUpdate(undefined, body, ownership.update, nowStamp(deps));
  // A dry run goes through the same checks (namespace, AlreadyExists) and stores nothing.
  return asServed(rt, deps.store.create(key, body, { uid, dryRun }));
}

/** metav1.Time as the apiserver writes it (seconds). */
export function nowStamp(deps: RestApiDeps): string {
  return deps.clock.now().toISOString().replace(/\.\d{3}Z$/, "Z");
}
