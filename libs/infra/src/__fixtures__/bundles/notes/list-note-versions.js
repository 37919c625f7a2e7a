"use strict";exports.handler=async()=>({statusCode:200,body:"list-note-versions"});
//# sourceMappingURL=list-note-versions.js.map
