import type { IncomingHttpHeaders } from "node:http";
import type { ObjectStore } from "../../store/object-store";
import { badRequest } from "../../store/status-error";
import type { User } from "../handlers/request-scope";
import { authorizeRequest } from "./authorize-request";
import type { RequestAttributes } from "./authorize";
import { forbiddenError } from "./forbidden-error";

const SA_PREFIX = "system:serviceaccount:";

function headerValues(headers: IncomingHttpHeaders, name: string): string[] {
  const v = headers[name];
  if (v === undefined) return [];
  // Node joins repeated custom headers with ", "; kubectl sends one Impersonate-Group per group.
  return (Array.isArray(v) ? v : v.split(", ")).filter((s) => s !== "");
}

/**
 * The apiserver's impersonation filter (WithImpersonation): with Impersonate-User (kubectl --as),
 * Impersonate-Group (--as-group) or Impersonate-Uid, the caller must be allowed the `impersonate`
 * verb on each users / serviceaccounts / groups / uids named, and the request then runs as that
 * user. Returns the caller unchanged when no header asks for it.
 */
export function impersonate(store: ObjectStore, caller: User, headers: IncomingHttpHeaders): User {
  const asUser = headerValues(headers, "impersonate-user")[0];
  const asGroups = headerValues(headers, "impersonate-group");
  const asUid = headerValues(headers, "impersonate-uid")[0];
  if (asUser === undefined) {
    if (asGroups.length || asUid) throw badRequest(`requested [${[...asGroups.map((g) => `{Group  ${g}  }`), ...(asUid ? [`{UID  ${asUid}  }`] : [])].join(" ")}] without impersonating a user`);
    return caller;
  }
  const check = (a: Omit<RequestAttributes, "user" | "groups" | "verb" | "resourceRequest">) => {
    const attrs: RequestAttributes = { user: caller.name, groups: caller.groups, verb: "impersonate", resourceRequest: true, ...a };
    const d = authorizeRequest(store, attrs);
    if (!d.allowed) throw forbiddenError(attrs, d.reason);
  };
  let groups = [...asGroups];
  if (asUser.startsWith(SA_PREFIX) && asUser.split(":").length === 4) {
    const [, , ns, name] = asUser.split(":");
    check({ apiGroup: "", resource: "serviceaccounts", namespace: ns, name });
    if (!asGroups.length) groups = ["system:serviceaccounts", `system:serviceaccounts:${ns}`];
  } else check({ apiGroup: "", resource: "users", name: asUser });
  for (const g of asGroups) check({ apiGroup: "", resource: "groups", name: g });
  if (asUid) check({ apiGroup: "authentication.k8s.io", resource: "uids", name: asUid });
  // WithImpersonation: a non-anonymous user gets system:authenticated unless a group already says
  // authenticated or unauthenticated; system:anonymous gets system:unauthenticated.
  if (asUser !== "system:anonymous") {
    if (!groups.includes("system:authenticated") && !groups.includes("system:unauthenticated")) groups.push("system:authenticated");
  } else if (!groups.includes("system:unauthenticated")) groups.push("system:unauthenticated");
  return { name: asUser, groups };
}
