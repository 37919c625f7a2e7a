"use strict";exports.handler=async()=>({statusCode:200,body:"authorize"});
//# sourceMappingURL=authorize.js.map
