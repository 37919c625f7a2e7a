// Reports what the function sees: its environment and the Lambda context.
const seenAtInit = process.env.INIT_MARK;
process.env.INIT_MARK = 'changed-by-' + process.env.AWS_LAMBDA_FUNCTION_NAME;

exports.handler = async (event, context) => ({
  env: { ...process.env },
  seenAtInit,
  context: {
    functionName: context.functionName,
    functionVersion: context.functionVersion,
    invokedFunctionArn: context.invokedFunctionArn,
    memoryLimitInMB: context.memoryLimitInMB,
    awsRequestId: context.awsRequestId,
    logGroupName: context.logGroupName,
    logStreamName: context.logStreamName,
    callbackWaitsForEmptyEventLoop: context.callbackWaitsForEmptyEventLoop,
    remainingMs: context.getRemainingTimeInMillis(),
  },
});
