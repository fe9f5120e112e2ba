import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One received span, flattened from OTLP's resource → scope → span nesting. */
export interface ReceivedSpan {
  /** The exporting process's `service.name`. */
  service: string;
  traceId: string;
  spanId: string;
  /** Empty for a trace's root span. */
  parentSpanId: string;
  name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, unknown>;
}

/** The parts of OTLP/HTTP JSON (ExportTraceServiceRequest) read here. */
interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number; arrayValue?: { values: OtlpAttribute['value'][] } };
}
interface OtlpExport {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: { spans?: { traceId: string; spanId: string; parentSpanId?: string; name: string; kind?: number; attributes?: OtlpAttribute[] }[] }[];
  }[];
}

const valueOf = (value: OtlpAttribute['value']): unknown =>
  value.arrayValue
    ? value.arrayValue.values.map(valueOf)
    : (value.stringValue ?? value.boolValue ?? value.doubleValue ?? (value.intValue === undefined ? undefined : Number(value.intValue)));

const attributesOf = (attributes: OtlpAttribute[] = []) => Object.fromEntries(attributes.map(({ key, value }) => [key, valueOf(value)]));

/** The spans of one OTLP/HTTP JSON export. */
export function spansOf(body: OtlpExport): ReceivedSpan[] {
  return (body.resourceSpans ?? []).flatMap((resource) => {
    const name = attributesOf(resource.resource?.attributes)['service.name'];
    const service = typeof name === 'string' ? name : 'unknown';
    return (resource.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((span) => ({
        service,
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId ?? '',
        name: span.name,
        kind: span.kind ?? 0,
        attributes: attributesOf(span.attributes),
      })),
    );
  });
}

export interface OtlpReceiver {
  /** What the stack's processes export to (`OTEL_EXPORTER_OTLP_ENDPOINT`). */
  endpoint: string;
  /** `GET` answers the spans received so far as JSON; `?traceId=` keeps one trace's. */
  spansUrl: string;
  close(): Promise<void>;
}

/**
 * An in-memory OTLP/HTTP trace receiver for the e2e stack, standing in for a collector: every
 * process exports its spans here (OTLP JSON on `POST /v1/traces`), and tests read them back from
 * `GET /spans`. It runs in the jest process that starts the stack, so it outlives each test file.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://receiver');
    if (req.method === 'POST' && url.pathname === '/v1/traces') {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        try {
          spans.push(...spansOf(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport));
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{}');
        } catch {
          // Only OTLP JSON is understood: a protobuf export would be a misconfigured exporter.
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end('{"error":"OTLP JSON expected"}');
        }
      });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/spans') {
      const traceId = url.searchParams.get('traceId');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(traceId ? spans.filter((span) => span.traceId === traceId) : spans));
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint: base,
    spansUrl: `${base}/spans`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive sockets (the exporters', the tests' fetches) would hold close() open.
        server.closeAllConnections();
      }),
  };
}
