"use strict";exports.handler=async()=>({statusCode:200,body:"put-note"});
//# sourceMappingURL=put-note.js.map
