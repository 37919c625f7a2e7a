// Fails in the ways a handler can: a thrown error, a rejection, a non-Error, a crash after
// answering, process.exit, and an unhandled rejection.
const { threadId } = require('node:worker_threads');

class ValidationError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ValidationError';
  }
}

exports.handler = async (event) => {
  switch (event.mode) {
    case 'throw':
      throw new ValidationError('username is required');
    case 'string':
      throw 'plain string';
    case 'exit':
      console.log('exiting now');
      process.exit(2);
      break;
    case 'uncaught':
      setTimeout(() => {
        throw new TypeError('thrown from a timer');
      }, 1);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return 'unreachable';
    case 'unhandled':
      Promise.reject(new RangeError('nobody handles me'));
      await new Promise((resolve) => setTimeout(resolve, 50));
      return 'unreachable';
    default:
      return { threadId };
  }
};

exports.syncThrow = () => {
  throw new ValidationError('thrown synchronously');
};
