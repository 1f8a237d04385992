import { z } from "zod";
import { InputError } from "@/lib/errors";
import type { TimelineFilter } from "./timeline-feed";

// A namespace is a DNS-1123 label; a pod name a DNS-1123 subdomain (what the API server accepts).
const label = z.string().max(63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a Kubernetes name (lower-case letters, digits and '-')");
const subdomain = z.string().max(253).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a Kubernetes name (lower-case letters, digits, '-' and '.')");

const querySchema = z.strictObject({ namespace: label.optional(), pod: subdomain.optional() });

/** `?namespace=&pod=` of the timeline stream; an empty value means "any". Anything else is an InputError. */
export function parseTimelineQuery(params: URLSearchParams): TimelineFilter {
  const raw: Record<string, string> = {};
  for (const [k, v] of params) if (v !== "") raw[k] = v;
  const parsed = querySchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const where = i.path.map(String).join(".") || (i.code === "unrecognized_keys" ? i.keys.join(", ") : "query");
    throw new InputError(`${where}: ${i.message}`, { hint: "Use ?namespace=<namespace>&pod=<pod name>, both optional." });
  }
  return parsed.data;
}
