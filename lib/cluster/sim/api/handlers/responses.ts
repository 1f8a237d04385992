import type { ServerResponse } from "node:http";
import type { StatusError } from "../../store/status-error";

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = "application/json"): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text), "Cache-Control": "no-cache, private" });
  res.end(text);
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(text), "X-Content-Type-Options": "nosniff" });
  res.end(text);
}

export function sendStatus(res: ServerResponse, err: StatusError): void {
  sendJson(res, err.code, err.status);
}

/** The Status a 201 from an action subresource (binding, eviction) carries. */
export const CREATED_STATUS = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 } as const;
