// Logs and emits a metric through the real Powertools, as the services' handlers do.
const { Logger } = require('@aws-lambda-powertools/logger');
const { Metrics, MetricUnit } = require('@aws-lambda-powertools/metrics');

const logger = new Logger({ serviceName: 'fixture' });
const metrics = new Metrics({ namespace: 'LocalRuntimeTest', serviceName: 'fixture' });

exports.handler = async (event, context) => {
  logger.addContext(context);
  logger.info('handled', { id: event.id });
  metrics.addMetric('Handled', MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
  return { ok: true };
};
