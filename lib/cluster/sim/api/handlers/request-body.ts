import type { IncomingMessage } from "node:http";
import YAML from "yaml";
import { badRequest } from "../../store/status-error";
import { decodeKubernetesProtobuf } from "../protobuf-decode";
import { asObject, type JsonObject } from "./json-object";

const MAX_BODY = 3 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(Object.assign(badRequest("request body too large"), {}));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function parseBody(buf: Buffer, contentType: string): unknown {
  if (contentType.includes("application/vnd.kubernetes.protobuf")) return buf.length ? decodeKubernetesProtobuf(buf) : undefined;
  const text = buf.toString("utf8");
  if (!text.trim()) return undefined;
  try {
    if (/yaml/.test(contentType)) return YAML.parse(text);
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`the object provided is unrecognized (must be of type JSON): ${(e as Error).message}`);
  }
}

/** The request body decoded by its Content-Type, as an object ({} when empty or not an object). */
export async function readBodyObject(req: IncomingMessage): Promise<JsonObject> {
  return asObject(parseBody(await readBody(req), String(req.headers["content-type"] ?? "")));
}
