// @ts-check
/**
 * The runtime inside one execution environment (a worker thread): it plays the part of Lambda's
 * Node.js runtime interface client. It loads the function's bundle once (INIT), then serves one
 * invocation per message from the parent, in the order they arrive.
 *
 * Plain CommonJS on purpose: a worker thread cannot use the parent's TypeScript loader (jest,
 * tsx), and the bundle it loads is plain JavaScript anyway.
 *
 * Protocol (parent → worker): [seq, slot, requestId, eventJson, traceId] (the event as JSON text,
 * as Lambda hands it to its runtime; timeoutMs is in workerData: it never changes). Invocations run
 * one at a time, in the order they arrive. slot -1: run it. slot ≥ 0: handed over while another one
 * ran, to start right after it; claimed first (see `control`), since the parent may have taken it
 * back. Between invocations this thread is frozen (see `awaitWork`). The invariants of this
 * hand-over are written down, once, in ../hand-over.ts.
 * Protocol (worker → parent):
 *   { type: 'ready', maxMemoryMB, cpuMs, logs }               INIT succeeded (cpuMs: this thread's CPU time)
 *   { type: 'init-error', error, logs }                       INIT failed; the parent destroys us
 *   { type: 'logs', logs }                                    lines written while an invocation runs
 *   { type: 'result', seq, requestId, ok, body?, error?, durationMs, endedAt, maxMemoryMB, logs }
 *   { type: 'crash', error, logs }                            uncaught exception or out of memory: we exit next
 * `logs` is a flat array [timestamp, requestId, message, …] (or null) so one message carries many
 * lines without an object per line.
 */
'use strict';

const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const v8 = require('node:v8');
const { fileURLToPath, pathToFileURL } = require('node:url');

if (!parentPort) throw new Error('bootstrap.cjs runs only as a worker thread');
const port = parentPort;

/**
 * Shared with the parent (word indexes in `workerData.controlWords`, layout and invariants in
 * ../hand-over.ts). `outstanding`: invocations handed over and not answered yet (the parent adds one
 * per hand-over, this thread takes one off just before each answer). `lastAnswered`: the seq of this
 * thread's latest answer. `doorbell`: rung by the parent after each hand-over; this thread waits on
 * it while frozen. Claim words (from `firstClaim`): the seq of a queued invocation nobody has claimed
 * yet; this thread claims it to run it, the parent to take it back, each with compareExchange, so
 * exactly one of them does.
 */
const control = new Int32Array(workerData.control);
/** @type {{ outstanding: number; lastAnswered: number; doorbell: number; firstClaim: number }} */
const WORD = workerData.controlWords;

/** @type {{ codeDir: string; handler: string; functionName: string; invokedFunctionArn: string; memorySizeMB: number; timeoutMs: number; logGroupName: string; logStreamName: string; captureLogs: boolean; sdkBaseDir?: string; compileCacheDir?: string; control: SharedArrayBuffer; controlWords: unknown }} */
const config = workerData;

// ---------------------------------------------------------------------------------------------
// Output capture. Lambda's runtime turns each console call into one log event prefixed with the
// time, request id and level, and each line written to stdout/stderr into one raw event (that is
// how Powertools' JSON logs and EMF metrics stay parseable). Both are installed before the bundle
// loads so INIT output is captured too.
// ---------------------------------------------------------------------------------------------

/** @type {string | undefined} */
let currentRequestId;
/** @type {unknown[]} */
let pending = [];
/** @type {NodeJS.Timeout | null} */
let flushTimer = null;
const LOG_FLUSH_MS = 25;

/** @param {string} message */
function emit(message) {
  if (!config.captureLogs) return;
  pending.push(Date.now(), currentRequestId, message);
  // Lines of a long invocation travel in batches while it runs (so a later timeout keeps them);
  // a short one carries its lines on the result message instead. Unref'd: it must not count as
  // pending work for callbackWaitsForEmptyEventLoop.
  if (flushTimer === null) flushTimer = setTimeout(flushLogs, LOG_FLUSH_MS).unref();
}

function takeLogs() {
  if (pending.length === 0) return null;
  const logs = pending;
  pending = [];
  return logs;
}

function flushLogs() {
  flushTimer = null;
  const logs = takeLogs();
  if (logs) port.postMessage({ type: 'logs', logs });
}

/**
 * @param {NodeJS.WriteStream} stream
 * @returns {() => void} writes out a trailing partial line
 */
function captureStream(stream) {
  let partial = '';
  /** @type {any} */ (stream).write = function write(
    /** @type {unknown} */ chunk,
    /** @type {unknown} */ encoding,
    /** @type {unknown} */ callback,
  ) {
    const cb = typeof encoding === 'function' ? encoding : callback;
    const text =
      typeof chunk === 'string'
        ? chunk
        : Buffer.from(/** @type {Uint8Array} */ (chunk)).toString(
            typeof encoding === 'string' ? /** @type {BufferEncoding} */ (encoding) : 'utf8',
          );
    let buffered = partial + text;
    let newline;
    while ((newline = buffered.indexOf('\n')) !== -1) {
      const line =
        buffered.charCodeAt(newline - 1) === 13
          ? buffered.slice(0, newline - 1)
          : buffered.slice(0, newline);
      if (line.length > 0) emit(line);
      buffered = buffered.slice(newline + 1);
    }
    partial = buffered;
    if (typeof cb === 'function') process.nextTick(cb);
    return true;
  };
  return () => {
    if (partial.length > 0) emit(partial);
    partial = '';
  };
}

const endStdout = captureStream(process.stdout);
const endStderr = captureStream(process.stderr);
function endPartialLines() {
  endStdout();
  endStderr();
}

/** @type {Array<[keyof Console, string]>} */
const consoleLevels = [
  ['log', 'INFO'],
  ['info', 'INFO'],
  ['warn', 'WARN'],
  ['error', 'ERROR'],
  ['debug', 'DEBUG'],
  ['trace', 'TRACE'],
];
for (const [method, level] of consoleLevels) {
  /** @type {any} */ (console)[method] = (/** @type {unknown[]} */ ...args) =>
    emit(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${util.format(...args)}`);
}

// ---------------------------------------------------------------------------------------------
// Errors, shaped as the runtime reports them ({ errorType, errorMessage, trace }).
// ---------------------------------------------------------------------------------------------

/** @param {unknown} error */
function toErrorPayload(error) {
  try {
    if (
      util.types.isNativeError(error) ||
      (error && typeof error === 'object' && 'stack' in error && 'message' in error)
    ) {
      const e = /** @type {Error} */ (error);
      return {
        errorType: String(e.name),
        errorMessage: String(e.message),
        trace: String(e.stack ?? '').split('\n'),
      };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      trace: [],
    };
  }
}

/**
 * @param {string} errorType
 * @param {string} errorMessage
 */
function runtimeError(errorType, errorMessage) {
  const error = new Error(errorMessage);
  error.name = errorType;
  return error;
}

/**
 * @param {string} label e.g. 'Invoke Error' or 'Uncaught Exception'
 * @param {{ errorType: string; errorMessage: string; trace: string[] }} payload
 */
function logError(label, payload) {
  const json = JSON.stringify({
    errorType: payload.errorType,
    errorMessage: payload.errorMessage,
    stack: payload.trace,
  });
  emit(`${new Date().toISOString()}\t${currentRequestId}\tERROR\t${label} \t${json}`);
}

let crashed = false;
/**
 * @param {{ errorType: string; errorMessage: string; trace: string[] }} payload
 * @param {boolean} [log] logged as an uncaught exception (not when the platform ends us)
 */
function crash(payload, log = true) {
  if (crashed) return;
  crashed = true;
  if (log) logError('Uncaught Exception', payload);
  endPartialLines();
  port.postMessage({ type: 'crash', error: payload, logs: takeLogs() });
  // As the real runtime does after an uncaught error: the environment is gone.
  process.exit(129);
}

process.on('uncaughtException', (error) => crash(toErrorPayload(error)));
process.on('unhandledRejection', (reason) => {
  const message = util.types.isNativeError(reason)
    ? `${reason.name}: ${reason.message}`
    : String(reason);
  crash(toErrorPayload(runtimeError('Runtime.UnhandledPromiseRejection', message)));
});
// process.exit() from user code: hand over what was logged before the thread stops.
process.on('exit', () => {
  if (crashed) return;
  endPartialLines();
  const logs = takeLogs();
  if (logs) port.postMessage({ type: 'logs', logs });
});

// ---------------------------------------------------------------------------------------------
// INIT: load the bundle once.
// ---------------------------------------------------------------------------------------------

/**
 * What a bundle may load from outside its own directory, as on Lambda: Node's built-ins, and the
 * AWS SDK v3 the nodejs runtimes provide (`@aws-sdk/*` and the `@smithy/*` packages it is made of).
 * Anything else a bundle does not contain is missing in AWS, so it is missing here too: without this
 * hook, a bundle under the workspace's cdk.out would find it in the workspace's node_modules (Node
 * looks in every parent directory) and a bundling mistake would only show after deployment.
 * @param {string} specifier
 */
function providedByLambda(specifier) {
  return specifier.startsWith('@aws-sdk/') || specifier.startsWith('@smithy/');
}

/** @param {string} url */
function insideCodeDir(url) {
  if (!url.startsWith('file:')) return false;
  const file = fileURLToPath(url);
  const relative = path.relative(config.codeDir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** @param {string} specifier @param {string | undefined} parentURL */
function notInBundle(specifier, parentURL) {
  const from = parentURL ? fileURLToPath(parentURL) : config.codeDir;
  const error = /** @type {Error & { code: string }} */ (
    new Error(`Cannot find module '${specifier}'\nRequire stack:\n- ${from}`)
  );
  error.code = 'MODULE_NOT_FOUND';
  return error;
}

/**
 * Module resolution as on Lambda (see `providedByLambda`). Needs `module.registerHooks` (Node.js
 * ≥ 22.15): the parent refuses to start on an older Node (../lambda-service.ts), and this throws if
 * it is missing anyway, rather than silently resolving through the workspace.
 */
function resolveAsLambda() {
  const mod = /** @type {any} */ (require('node:module'));
  if (typeof mod.registerHooks !== 'function') {
    throw new Error(
      `the local runtime needs Node.js >= 22.15 (module.registerHooks); this is ${process.version}`,
    );
  }
  const sdkBaseDir = config.sdkBaseDir;
  mod.registerHooks({
    resolve(
      /** @type {string} */ specifier,
      /** @type {any} */ context,
      /** @type {Function} */ nextResolve,
    ) {
      const fromBundle = context.parentURL !== undefined && insideCodeDir(context.parentURL);
      let resolved;
      try {
        resolved = nextResolve(specifier, context);
      } catch (error) {
        if (!fromBundle || !sdkBaseDir || !providedByLambda(specifier)) throw error;
        const file = require.resolve(specifier, { paths: [sdkBaseDir] });
        return { url: pathToFileURL(file).href, format: 'commonjs', shortCircuit: true };
      }
      if (
        fromBundle &&
        typeof resolved.url === 'string' &&
        resolved.url.startsWith('file:') &&
        !insideCodeDir(resolved.url) &&
        !providedByLambda(specifier)
      ) {
        throw notInBundle(specifier, context.parentURL);
      }
      return resolved;
    },
  });
}

/**
 * Splits `dir/file.export.nested` the way the runtime does: the module is the part of the last
 * path segment before its first dot, the rest is a property path.
 * @param {string} handler
 */
function splitHandler(handler) {
  const slash = handler.lastIndexOf('/');
  const dir = handler.slice(0, slash + 1);
  const base = handler.slice(slash + 1);
  const dot = base.indexOf('.');
  if (dot <= 0 || dot === base.length - 1)
    throw runtimeError('Runtime.MalformedHandlerName', 'Bad handler');
  return { modulePath: dir + base.slice(0, dot), exportPath: base.slice(dot + 1).split('.') };
}

/** @param {string} modulePath */
async function loadModule(modulePath) {
  const base = path.resolve(config.codeDir, modulePath);
  for (const ext of ['.js', '.mjs', '.cjs']) {
    const file = base + ext;
    if (!fs.existsSync(file)) continue;
    try {
      return ext === '.mjs' ? await import(pathToFileURL(file).href) : require(file);
    } catch (error) {
      if (error instanceof SyntaxError)
        throw runtimeError('Runtime.UserCodeSyntaxError', `${error.name}: ${error.message}`);
      const code = /** @type {{ code?: string }} */ (error).code;
      if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
        const e = /** @type {Error} */ (error);
        throw runtimeError('Runtime.ImportModuleError', `${e.name}: ${e.message}`);
      }
      throw error;
    }
  }
  throw runtimeError(
    'Runtime.ImportModuleError',
    `Error: Cannot find module '${path.basename(modulePath)}'\nRequire stack:\n- ${config.codeDir}`,
  );
}

/** @returns {Promise<Function>} */
async function loadHandler() {
  const { modulePath, exportPath } = splitHandler(config.handler);
  /** @type {any} */
  let target = await loadModule(modulePath);
  for (const key of exportPath) target = target == null ? undefined : target[key];
  if (typeof target !== 'function') {
    throw runtimeError(
      'Runtime.HandlerNotFound',
      `${path.basename(config.handler)} is undefined or not exported`,
    );
  }
  return target;
}

// ---------------------------------------------------------------------------------------------
// INVOKE
// ---------------------------------------------------------------------------------------------

const MB = 1024 * 1024;
/** Lambda's limit for a synchronous response. */
const MAX_RESPONSE_BYTES = 6291556;
let maxMemoryMB = 0;

/**
 * Memory this environment uses, as close to Lambda's "Max Memory Used" as a thread can tell: the V8
 * heap (bounded by the worker's resourceLimits) plus memory outside it held by this isolate, which
 * is where Buffers and ArrayBuffers live. Not counted: native memory of add-ons and Node itself.
 */
function sampleMemory() {
  const heap = v8.getHeapStatistics();
  const used = Math.ceil((heap.total_physical_size + heap.external_memory) / MB);
  if (used > maxMemoryMB) maxMemoryMB = used;
  return used;
}

/**
 * Lambda ends an environment whose memory exceeds its configured size (`Runtime.OutOfMemory`). The
 * heap limit catches a growing heap at once; memory outside the heap (Buffers) is checked when an
 * invocation ends and every MEMORY_CHECK_MS while one runs and the event loop turns.
 */
const MEMORY_CHECK_MS = 100;
function exceedsMemory() {
  return sampleMemory() > config.memorySizeMB;
}

function outOfMemory() {
  crash(
    {
      errorType: 'Runtime.OutOfMemory',
      errorMessage: `RequestId: ${currentRequestId} Error: Runtime exited with error: signal: killed`,
      trace: [],
    },
    false,
  );
}

/** Resources an idle environment holds; work beyond them means the event loop is not empty. */
/** @type {Map<string, number>} */
let idleResources = new Map();
function countResources() {
  /** @type {Map<string, number>} */
  const counts = new Map();
  for (const type of process.getActiveResourcesInfo())
    counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}
function eventLoopIsEmpty() {
  for (const [type, count] of countResources())
    if (count > (idleResources.get(type) ?? 0)) return false;
  return true;
}
/** Resolves when only the idle resources remain (the parent's timeout bounds the wait). */
function waitForEmptyEventLoop() {
  return new Promise((resolve) => {
    const check = () => (eventLoopIsEmpty() ? resolve(undefined) : setTimeout(check, 1).unref());
    setImmediate(check);
  });
}

/**
 * Runs the handler as the runtime does: a returned promise settles the invocation; otherwise the
 * callback (or context.succeed/fail/done) does, after the event loop empties when
 * `callbackWaitsForEmptyEventLoop` is true; a handler that neither returns a promise nor calls
 * back answers `null` once the event loop is empty.
 * @param {Function} handler
 * @param {unknown} event
 * @param {any} context
 * @returns {Promise<unknown>}
 */
function runHandler(handler, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    /** @param {unknown} error @param {unknown} result */
    const finish = (error, result) => {
      if (settled) return;
      settled = true;
      const settle = () => (error != null ? reject(error) : resolve(result));
      if (context.callbackWaitsForEmptyEventLoop) void waitForEmptyEventLoop().then(settle);
      else settle();
    };
    context.done = finish;
    context.succeed = (/** @type {unknown} */ result) => finish(null, result);
    context.fail = (/** @type {unknown} */ error) => finish(error ?? 'handled', undefined);
    let returned;
    try {
      returned = handler(event, context, finish);
    } catch (error) {
      settled = true;
      reject(error);
      return;
    }
    if (returned && typeof (/** @type {any} */ (returned).then) === 'function') {
      /** @type {PromiseLike<unknown>} */ (returned).then(
        (value) => {
          if (!settled) {
            settled = true;
            resolve(value);
          }
        },
        (error) => {
          if (!settled) {
            settled = true;
            reject(error);
          }
        },
      );
    } else if (handler.length < 3) {
      void waitForEmptyEventLoop().then(() => finish(null, null));
    }
  });
}

/**
 * @param {Function} handler
 * @param {HandOver} message
 */
async function invoke(handler, message) {
  const [seq, , requestId, eventJson, traceId] = message;
  const event = JSON.parse(eventJson);
  currentRequestId = requestId;
  process.env._X_AMZN_TRACE_ID = traceId;
  const deadline = Date.now() + config.timeoutMs;
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: config.functionName,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION || '$LATEST',
    invokedFunctionArn: config.invokedFunctionArn,
    memoryLimitInMB: String(config.memorySizeMB),
    awsRequestId: requestId,
    logGroupName: config.logGroupName,
    logStreamName: config.logStreamName,
    identity: undefined,
    clientContext: undefined,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  const started = performance.now();
  /** @type {Record<string, unknown>} */
  let reply;
  try {
    const result = await runHandler(handler, event, context);
    // The runtime answers with JSON: what does not survive JSON.stringify does not reach the caller.
    const body = result === undefined ? undefined : JSON.stringify(result);
    if (
      body !== undefined &&
      body.length > MAX_RESPONSE_BYTES / 3 &&
      Buffer.byteLength(body) > MAX_RESPONSE_BYTES
    ) {
      const size = Buffer.byteLength(body);
      reply = {
        type: 'result',
        ok: false,
        error: toErrorPayload(
          runtimeError(
            'Function.ResponseSizeTooLarge',
            `Response payload size (${size} bytes) exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
          ),
        ),
      };
    } else {
      reply = { type: 'result', ok: true, body };
    }
  } catch (error) {
    const payload = toErrorPayload(error);
    logError('Invoke Error', payload);
    reply = { type: 'result', ok: false, error: payload };
  }
  reply.durationMs = performance.now() - started;
  if (exceedsMemory()) {
    outOfMemory();
    return;
  }
  reply.seq = seq;
  reply.requestId = requestId;
  reply.maxMemoryMB = maxMemoryMB;
  endPartialLines();
  reply.logs = takeLogs();
  reply.endedAt = performance.timeOrigin + performance.now();
  // Tells the parent this invocation is over even before it reads the answer (../hand-over.ts, I4,
  // I5). Before posting, never after: once the parent reads the answer it may hand this environment
  // the next invocation and count it; a decrement after postMessage could land after that (this
  // thread descheduled in between, as on a loaded machine) and mark a running invocation answered.
  Atomics.store(control, WORD.lastAnswered, seq);
  Atomics.sub(control, WORD.outstanding, 1);
  port.postMessage(reply);
  invoking = false;
  awaitWork(handler);
}

/** @typedef {[number, number, string, string, string]} HandOver [seq, slot, requestId, eventJson, traceId] */

/** Hand-overs that arrived while the event loop ran (during an invocation), in order. @type {HandOver[]} */
const inbox = [];
let invoking = false;

/** @returns {HandOver | undefined} the next hand-over, in the order the parent posted them */
function nextHandOver() {
  if (inbox.length > 0) return inbox.shift();
  const next = receiveMessageOnPort(port);
  return next ? /** @type {HandOver} */ (next.message) : undefined;
}

/**
 * Between invocations: start the next hand-over at once if there is one (queued behind the one
 * that just ended: no trip through the event loop, no wake-up by the parent), else freeze until the
 * parent rings (../hand-over.ts, I6), as Lambda freezes an environment between invocations: timers
 * and callbacks of the last invocation run only when the next one does. Clearing the bell before
 * looking again means a hand-over posted meanwhile is found, never missed.
 * @param {Function} handler
 */
function awaitWork(handler) {
  let frozen = false;
  for (;;) {
    const message = nextHandOver();
    if (message) {
      const [seq, slot] = message;
      // Taken back by the parent (or about to be): its claim word no longer holds its seq.
      if (slot >= 0 && Atomics.compareExchange(control, WORD.firstClaim + slot, seq, 0) !== seq)
        continue;
      invoking = true;
      // After a freeze, let the event loop turn once through its I/O first, as the Lambda runtime's
      // own request for the next event does: a socket closed while frozen is then seen as closed.
      if (frozen) setImmediate(() => setImmediate(() => void invoke(handler, message)));
      else void invoke(handler, message);
      return;
    }
    Atomics.wait(control, WORD.doorbell, 0);
    Atomics.store(control, WORD.doorbell, 0);
    frozen = true;
  }
}

/**
 * V8's code cache on disk (Node's module.enableCompileCache): the second INIT of a bundle skips
 * parsing and compiling what the first compiled. Off unless the parent names a directory, because
 * Lambda has no such cache: with it, Init Duration is shorter than a cold start in AWS.
 */
function enableCompileCache() {
  if (!config.compileCacheDir) return () => undefined;
  const mod = /** @type {any} */ (require('node:module'));
  if (typeof mod.enableCompileCache !== 'function') {
    throw new Error(
      `--compile-cache needs Node.js >= 22.1 (module.enableCompileCache); this is ${process.version}`,
    );
  }
  mod.enableCompileCache(config.compileCacheDir);
  return () => {
    if (typeof mod.flushCompileCache === 'function') mod.flushCompileCache();
  };
}

async function main() {
  /** @type {Function} */
  let handler;
  try {
    resolveAsLambda();
    const flushCompileCache = enableCompileCache();
    // Stack traces point into the TypeScript sources, as with NODE_OPTIONS=--enable-source-maps.
    process.setSourceMapsEnabled(true);
    handler = await loadHandler();
    flushCompileCache();
  } catch (error) {
    const payload = toErrorPayload(error);
    logError('Uncaught Exception', payload);
    endPartialLines();
    port.postMessage({ type: 'init-error', error: payload, logs: takeLogs() });
    return;
  }
  // Hand-overs that arrive while an invocation lets the event loop run wait here for their turn.
  port.on('message', (/** @type {HandOver} */ message) => inbox.push(message));
  // Checks memory outside the heap while an invocation runs (see exceedsMemory). Unref'd, and
  // created before `idleResources` is counted, so it never holds an invocation open.
  setInterval(() => {
    if (invoking && exceedsMemory()) outOfMemory();
  }, MEMORY_CHECK_MS).unref();
  idleResources = countResources();
  endPartialLines();
  const cpu = typeof process.threadCpuUsage === 'function' ? process.threadCpuUsage() : undefined;
  port.postMessage({
    type: 'ready',
    maxMemoryMB: sampleMemory(),
    cpuMs: cpu ? (cpu.user + cpu.system) / 1000 : undefined,
    logs: takeLogs(),
  });
  awaitWork(handler);
}

void main();
