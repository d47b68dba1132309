// Sends one trace (3 spans: a server span with an error, a child with an event and a link, a
// client span), two log records correlated with the trace, a counter and a histogram through the
// OpenTelemetry JS SDK's OTLP/HTTP protobuf exporters, then prints what it sent as one JSON line
// so the test can look for exactly that on the control plane.
//
//   node send.js <base url, e.g. http://127.0.0.1:4318> <run id>
'use strict';
const { trace, context, SpanKind, SpanStatusCode } = require('@opentelemetry/api');
const { TracerProvider, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace');
const { LoggerProvider, SimpleLogRecordProcessor } = require('@opentelemetry/sdk-logs');
const { SeverityNumber } = require('@opentelemetry/api-logs');
const { MeterProvider, PeriodicExportingMetricReader } = require('@opentelemetry/sdk-metrics');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-proto');
const { OTLPMetricExporter } = require('@opentelemetry/exporter-metrics-otlp-proto');

async function main() {
  const [base, runId] = process.argv.slice(2);
  if (!base || !runId) {
    console.error('usage: node send.js <base url> <run id>');
    process.exit(2);
  }
  const resource = resourceFromAttributes({
    'service.name': 'js-checkout',
    'syntra.test.run': runId,
  });
  const spans = new SimpleSpanProcessor({
    exporter: new OTLPTraceExporter({ url: `${base}/v1/traces` }),
  });
  const logs = new SimpleLogRecordProcessor({
    exporter: new OTLPLogExporter({ url: `${base}/v1/logs` }),
  });
  const tracerProvider = new TracerProvider({ resource, spanProcessors: [spans] });
  const loggerProvider = new LoggerProvider({ resource, processors: [logs] });
  const reader = new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: `${base}/v1/metrics` }),
    exportIntervalMillis: 60000,
  });
  const meterProvider = new MeterProvider({ resource, readers: [reader] });

  const tracer = tracerProvider.getTracer('syntra-e2e-js', '1.0.0');
  const logger = loggerProvider.getLogger('syntra-e2e-js', '1.0.0');
  const meter = meterProvider.getMeter('syntra-e2e-js', '1.0.0');
  const sent = { run: runId, spans: [], logs: [] };

  const linkTarget = tracer.startSpan('warmup', { kind: SpanKind.INTERNAL });
  linkTarget.end();
  sent.spans.push(ids(linkTarget, 'warmup'));

  const root = tracer.startSpan('POST /checkout', {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': 'POST', 'http.response.status_code': 500, 'cart.items': [1, 2, 3] },
  });
  const rootContext = trace.setSpan(context.active(), root);
  const child = tracer.startSpan(
    'charge card',
    {
      kind: SpanKind.INTERNAL,
      attributes: { 'payment.amount': 12.5, 'payment.retry': false },
      links: [{ context: linkTarget.spanContext(), attributes: { 'link.reason': 'warmup' } }],
    },
    rootContext,
  );
  child.addEvent('card declined', { 'decline.code': 'insufficient_funds' });
  child.recordException(new Error('card declined: insufficient funds'));
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'declined' });
  child.end();
  root.setStatus({ code: SpanStatusCode.ERROR });
  root.end();
  sent.spans.push(ids(child, 'charge card'), ids(root, 'POST /checkout'));

  context.with(rootContext, () => {
    logger.emit({
      severityNumber: SeverityNumber.ERROR,
      severityText: 'ERROR',
      body: `payment failed for run ${runId}`,
      attributes: { 'order.id': 'o-42' },
    });
    logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: `checkout done ${runId}` });
  });
  sent.logs.push(`payment failed for run ${runId}`, `checkout done ${runId}`);
  sent.trace_id = root.spanContext().traceId;

  meter.createCounter('checkout.requests').add(3, { route: '/checkout' });
  const histogram = meter.createHistogram('checkout.duration', { unit: 'ms' });
  context.with(rootContext, () => {
    for (const v of [5, 15, 150]) histogram.record(v, { route: '/checkout' });
  });

  await spans.forceFlush();
  await logs.forceFlush();
  await reader.forceFlush();
  await Promise.all([spans.shutdown(), logs.shutdown(), meterProvider.shutdown()]);
  process.stdout.write(JSON.stringify(sent) + '\n');
}

function ids(span, name) {
  const c = span.spanContext();
  return { name, trace_id: c.traceId, span_id: c.spanId };
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
