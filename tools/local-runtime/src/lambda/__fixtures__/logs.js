// Writes log lines the ways functions do: console, raw stdout (how Powertools logs), EMF.
console.log('loaded at init');

exports.handler = async (event, context) => {
  console.log('plain line', { id: event.id });
  console.error('an error line');
  process.stdout.write(
    JSON.stringify({
      level: 'INFO',
      message: 'structured',
      requestId: context.awsRequestId,
      id: event.id,
    }) + '\n',
  );
  process.stdout.write(
    JSON.stringify({
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: 'LocalRuntimeTest',
            Dimensions: [['service']],
            Metrics: [{ Name: 'EchoCount', Unit: 'Count' }],
          },
        ],
      },
      service: 'echo',
      EchoCount: 1,
    }) + '\n',
  );
  return { ok: true };
};
