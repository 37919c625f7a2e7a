// Callback-style handlers, as the nodejs22.x runtime still supports them.
exports.handler = (event, context, callback) => {
  context.callbackWaitsForEmptyEventLoop = event.wait !== false;
  // Work left on the event loop after answering: Lambda waits for it unless told not to.
  setTimeout(() => undefined, event.pendingMs ?? 0);
  if (event.fail) callback(new Error('callback failure'));
  else callback(null, { via: 'callback' });
};

// Returns a value without a promise or callback: the runtime answers null.
exports.syncReturn = (event) => ({ ignored: true, event });
