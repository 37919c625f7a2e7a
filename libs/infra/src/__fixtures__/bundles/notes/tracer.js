"use strict";exports.Tracer=class{};
//# sourceMappingURL=tracer.js.map
