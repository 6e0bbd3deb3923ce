// Loaded into pouchdb-server 4.2.0 (`NODE_OPTIONS=--require=...`) by the e2e
// harness's `Couch`, to mend the one difference from CouchDB 3 that would make
// sync tests lie rather than fail.
//
// pouchdb-validation (the validate_doc_update support) does
// `newDoc._revisions = (oldDoc || {})._revisions` before calling the function,
// on the very document it then stores. With `_bulk_docs new_edits:false` the
// new revision's ancestry is thereby replaced by the old revision's: an update
// (2-b over 1-a) is stored as 1-a again and silently lost, and a new document's
// ancestry is dropped. CouchDB passes the function the new revision with its
// own `_revisions` and never changes what it stores, so the function is given
// a copy here instead.
"use strict";

const Module = require("module");
const path = require("path");

const TARGET = path.join("pouchdb-validation", "lib", "index.js");
const BROKEN = "newDoc._revisions = (oldDoc || {})._revisions;";
const MENDED = "newDoc = JSON.parse(JSON.stringify(newDoc));";

const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) {
  if (filename.endsWith(TARGET)) {
    if (!content.includes(BROKEN)) {
      throw new Error(`couch_fixes.cjs: ${filename} has changed; check the fix still applies`);
    }
    content = content.replace(BROKEN, MENDED);
  }
  return compile.call(this, content, filename);
};
