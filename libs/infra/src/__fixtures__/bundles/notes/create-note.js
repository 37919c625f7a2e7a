"use strict";exports.handler=async()=>({statusCode:200,body:"create-note"});
//# sourceMappingURL=create-note.js.map
