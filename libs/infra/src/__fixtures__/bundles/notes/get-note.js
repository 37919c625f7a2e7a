"use strict";exports.handler=async()=>({statusCode:200,body:"get-note"});
//# sourceMappingURL=get-note.js.map
