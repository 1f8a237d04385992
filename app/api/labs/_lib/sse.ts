/**
 * A Server-Sent Events response. `start` receives `send` and returns its cleanup; the stream
 * ends when the browser goes away, when `start` calls `close`, or never otherwise. A comment
 * line every 15 s keeps proxies from closing an idle stream.
 */
export function sseResponse(
  req: Request,
  start: (send: (event: string, data: unknown) => void, close: () => void) => () => void,
): Response {
  const encoder = new TextEncoder();
  let cleanup: (() => void) | undefined;
  let keepAlive: NodeJS.Timeout | undefined;
  let closed = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const close = () => {
        if (closed) return;
        closed = true;
        clearInterval(keepAlive);
        cleanup?.();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      const send = (event: string, data: unknown) => {
        if (closed) return;
        controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      };
      keepAlive = setInterval(() => !closed && controller.enqueue(encoder.encode(": keep-alive\n\n")), 15_000);
      req.signal.addEventListener("abort", close, { once: true });
      cleanup = start(send, close);
      if (closed) cleanup();
    },
    cancel() {
      closed = true;
      clearInterval(keepAlive);
      cleanup?.();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}
