#!/usr/bin/env node
// Sets up a Shared Lives scheme's CouchDB 3 for Hearth. A scheme's
// administrator runs it with the server's admin name and password; it needs
// Node 18 or later and nothing else (no npm packages).
//
//   node tools/scheme-admin.mjs --server https://couch.example.org \
//       household ann-and-dev --carer ann:PASSWORD --carer dev:PASSWORD
//   node tools/scheme-admin.mjs --server https://couch.example.org \
//       user sam PASSWORD --role coordinator
//
// Run `node tools/scheme-admin.mjs --help` for every option. Running a command
// again changes nothing: each step compares what is there with what should be
// and writes only when they differ, and says which it was.

const HELP = `Sets up a scheme's CouchDB 3 for Hearth.

Usage:
  node tools/scheme-admin.mjs [--server URL] [--admin NAME:PASSWORD] COMMAND ...

Commands:
  household DB --carer NAME[:PASSWORD] [--carer ...] [--remove-carer NAME]
            [--coordinator-role ROLE] [--reset-passwords]
      One database per household. Creates the database DB if it is missing;
      makes the carers its members (added to the members already there, so
      running it again with one more carer adds that carer; --remove-carer
      takes one off); gives each carer the role hearth-household:DB, from
      which the app knows the household when they sign in (a carer can be in
      one household); lets users with the coordinator role (default
      "coordinator") read it; installs _design/hearth, which checks every
      write (a coordinator can read but never write). A carer who has no
      CouchDB user yet is created with the password given.

  user NAME [PASSWORD] [--role ROLE ...] [--reset-password]
      Creates a user (a coordinator: --role coordinator). For an existing
      user, --role sets its roles to exactly those given; without --role its
      roles stay as they are.

Passwords are set only when a user is created, or for existing users with
--reset-passwords (household) or --reset-password (user).

Options:
  --server URL        the CouchDB address (or HEARTH_COUCH_URL)
  --admin NAME:PASS   a server admin (or HEARTH_COUCH_ADMIN, which keeps the
                      password out of the shell's history)
  --help              this text

Exits 0 when everything is as it should be, 1 when something failed, 2 when
the command itself is wrong.`;

const DESIGN_ID = "_design/hearth";
const DEFAULT_COORDINATOR_ROLE = "coordinator";
// The role that tells the app which database is a carer's household.
const HOUSEHOLD_ROLE = "hearth-household:";

// The server's check on every write, in the ES5 JavaScript that CouchDB 3's
// query server (SpiderMonkey) runs. `COORDINATOR_ROLE` is replaced by the
// coordinator role as a JSON string. The rules:
// - a server admin may write anything;
// - a user with the coordinator role who is not a named member is refused;
// - a deletion (`_deleted: true`, which closes a losing branch of a conflict)
//   may carry nothing but its id and revisions;
// - a phone's status document must name the signed-in user as its carer and
//   be stored under "hearth-status-" and its device id;
// - anything else must be a Hearth record of format 1 and a known kind, its
//   record's id equal to the document's id; a new record must name the
//   signed-in user as its carer; a changed one keeps its carer and its kind.
// With replication (`new_edits: false`) CouchDB gives as oldDoc the nearest
// earlier revision on the new revision's own branch that it has (none: null).
const VALIDATE = `function (newDoc, oldDoc, userCtx, secObj) {
  var coordinatorRole = COORDINATOR_ROLE;
  var kinds = ["person", "note", "checkin", "visit", "planned_stay", "medicine", "dose", "absence"];
  var roles = userCtx.roles || [];
  var members = (secObj && secObj.members && secObj.members.names) || [];
  function has(list, item) {
    for (var i = 0; i < list.length; i++) {
      if (list[i] === item) { return true; }
    }
    return false;
  }
  function refuse(reason) {
    throw ({forbidden: reason});
  }
  if (has(roles, "_admin")) { return; }
  if (has(roles, coordinatorRole) && !has(members, userCtx.name)) {
    refuse("A coordinator can read this household's records but not change them.");
  }
  if (newDoc._deleted === true) {
    for (var key in newDoc) {
      if (newDoc.hasOwnProperty(key) && !has(["_id", "_rev", "_revisions", "_deleted"], key)) {
        refuse("A deleted revision can't carry anything but its id and revision.");
      }
    }
    return;
  }
  if (newDoc.type === "device_status") {
    if (typeof newDoc.device !== "string" || newDoc.device === "") {
      refuse("A phone's status must say which phone it is.");
    }
    if (newDoc._id !== "hearth-status-" + newDoc.device) {
      refuse("A phone's status must be stored under hearth-status- and the phone's id.");
    }
    if (newDoc.carer !== userCtx.name) {
      refuse("A phone's status can only be sent by the carer signed in on it.");
    }
    return;
  }
  if (newDoc.hearth !== 1) {
    refuse("This isn't a Hearth record this server accepts.");
  }
  if (!has(kinds, newDoc.type)) {
    refuse("A Hearth record must be a person, a note, a check-in, a visit, a planned stay, a medicine, a dose or a day away.");
  }
  var record = newDoc.record;
  if (typeof record !== "object" || record === null || Object.prototype.toString.call(record) === "[object Array]") {
    refuse("The document doesn't hold a Hearth record.");
  }
  if (record.id !== newDoc._id) {
    refuse("The record's id doesn't match the document's id.");
  }
  if (typeof newDoc.carer !== "string" || newDoc.carer === "") {
    refuse("A Hearth record must say which carer sent it.");
  }
  if (!oldDoc || oldDoc._deleted) {
    if (newDoc.carer !== userCtx.name) {
      refuse("A new record must be sent by the carer it names, but it names " + newDoc.carer + ".");
    }
  } else {
    if (newDoc.carer !== oldDoc.carer) {
      refuse("The carer who first sent a record can't be changed.");
    }
    if (newDoc.type !== oldDoc.type) {
      refuse("A record's kind can't be changed.");
    }
  }
}`;

class Failure extends Error {}
class Usage extends Error {}

// The options that take a value: where each one goes.
const WITH_VALUE = {
  "--server": (opts, v) => (opts.server = v),
  "--admin": (opts, v) => (opts.admin = v),
  "--carer": (opts, v) => opts.carers.push(v),
  "--remove-carer": (opts, v) => opts.remove.push(v),
  "--coordinator-role": (opts, v) => (opts.coordinatorRole = v),
  "--role": (opts, v) => opts.roles.push(v),
};
// The options that are only there or not.
const FLAGS = {
  "--help": "help",
  "-h": "help",
  "--reset-passwords": "reset",
  "--reset-password": "reset",
};

function parseArgs(argv) {
  const opts = { carers: [], remove: [], roles: [], positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (WITH_VALUE[arg]) {
      if (i + 1 >= argv.length) throw new Usage(`${arg} needs a value`);
      WITH_VALUE[arg](opts, argv[++i]);
    } else if (FLAGS[arg]) {
      opts[FLAGS[arg]] = true;
    } else if (arg.startsWith("--")) {
      throw new Usage(`unknown option ${arg}`);
    } else {
      opts.positional.push(arg);
    }
  }
  return opts;
}

// "name:password" into its two parts; the password may be missing.
function splitCredentials(text) {
  const at = text.indexOf(":");
  if (at < 0) return { name: text, password: null };
  return { name: text.slice(0, at), password: text.slice(at + 1) };
}

function checkUserName(name) {
  if (!name) throw new Usage("a user name can't be empty");
  if (name.startsWith("_")) throw new Usage(`a user name can't start with "_": ${name}`);
}

function checkRole(role) {
  if (!role || role.startsWith("_")) throw new Usage(`not a role a user can be given: "${role}"`);
}

// CouchDB's rule for database names.
function checkDbName(db) {
  if (!/^[a-z][a-z0-9_$()+/-]*$/.test(db)) {
    throw new Usage(
      `"${db}" can't be a database name: use lowercase letters, digits and _ $ ( ) + - /, starting with a letter`,
    );
  }
}

// Compares two JSON values, ignoring the order of object keys.
function sameJson(a, b) {
  return canonical(a) === canonical(b);
}

function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

function union(first, more) {
  const out = [...first];
  for (const item of more) if (!out.includes(item)) out.push(item);
  return out;
}

class Couch {
  constructor(server, admin) {
    const url = new URL(server);
    if (!admin && url.username) {
      admin = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    }
    url.username = "";
    url.password = "";
    this.base = url.href.replace(/\/+$/, "");
    if (!admin) {
      throw new Usage("no admin: give --admin NAME:PASSWORD or set HEARTH_COUCH_ADMIN");
    }
    const { name, password } = splitCredentials(admin);
    if (password === null) throw new Usage("the admin must be given as NAME:PASSWORD");
    this.adminName = name;
    this.auth = `Basic ${Buffer.from(`${name}:${password}`).toString("base64")}`;
  }

  async request(method, path, body) {
    const headers = { Accept: "application/json", Authorization: this.auth };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let answer;
    try {
      answer = await fetch(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30000),
      });
    } catch (e) {
      const cause = e.cause ? e.cause.code || e.cause.message : e.message;
      throw new Failure(`couldn't reach ${this.base} (${cause})`);
    }
    const text = await answer.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: answer.status, body: json, text };
  }

  // Like request, but anything other than one of `ok` is a failure.
  async expect(method, path, body, ok, what) {
    const answer = await this.request(method, path, body);
    if (!ok.includes(answer.status)) {
      const reason = answer.body && (answer.body.reason || answer.body.error);
      throw new Failure(
        `${what}: the server answered ${answer.status}${reason ? ` (${reason})` : ""}`,
      );
    }
    return answer;
  }

  refused() {
    return new Failure(`${this.base} refused the admin name or password given for "${this.adminName}"`);
  }

  async checkAdmin() {
    const welcome = await this.request("GET", "/");
    if (welcome.status === 401) throw this.refused();
    if (welcome.status !== 200 || !welcome.body || !(welcome.body.couchdb || welcome.body["express-pouchdb"])) {
      throw new Failure(`${this.base} doesn't answer like CouchDB (status ${welcome.status})`);
    }
    const session = await this.request("GET", "/_session");
    if (session.status === 401) throw this.refused();
    const roles = (session.body && session.body.userCtx && session.body.userCtx.roles) || [];
    if (session.status !== 200 || session.body.userCtx.name !== this.adminName || !roles.includes("_admin")) {
      throw new Failure(`"${this.adminName}" isn't a server admin on ${this.base}`);
    }
    const users = await this.request("GET", "/_users");
    if (users.status === 404) {
      throw new Failure(`${this.base} has no _users database yet: finish CouchDB's set-up first (it creates _users)`);
    }
  }
}

const userPath = (name) => `/_users/${encodeURIComponent(`org.couchdb.user:${name}`)}`;
const dbPath = (db) => `/${encodeURIComponent(db)}`;

// Makes sure the user exists. `roles` null leaves an existing user's roles
// as they are; an array sets them to exactly that.
const rolesText = (roles) => (roles.length ? ` (roles: ${roles.join(", ")})` : "");

// Makes sure the user exists, with the roles `setRoles` makes of its current
// ones (a new user's are []).
async function ensureUser(couch, name, password, setRoles, reset, say) {
  const path = userPath(name);
  const found = await couch.expect("GET", path, undefined, [200, 404], `reading user ${name}`);
  if (found.status === 404) {
    if (password === null) {
      throw new Failure(`user ${name} doesn't exist yet: give a password (${name}:PASSWORD) to create it`);
    }
    const doc = { _id: `org.couchdb.user:${name}`, name, type: "user", roles: setRoles([]), password };
    await couch.expect("PUT", path, doc, [201, 202], `creating user ${name}`);
    say(`created user ${name}${rolesText(doc.roles)}`);
    return doc.roles;
  }
  const doc = found.body;
  const changes = [];
  if (doc.type !== "user") {
    doc.type = "user";
    changes.push("type");
  }
  const roles = setRoles(doc.roles || []);
  if (!sameJson(doc.roles || [], roles)) {
    doc.roles = roles;
    changes.push(`roles: ${roles.length ? roles.join(", ") : "none"}`);
  }
  if (reset) {
    if (password === null) throw new Usage(`--reset-password needs a password for ${name}`);
    doc.password = password;
    changes.push("password");
  }
  if (changes.length) {
    await couch.expect("PUT", path, doc, [201, 202], `updating user ${name}`);
    say(`updated user ${name} (${changes.join("; ")})`);
  } else {
    say(`already set: user ${name}${rolesText(roles)}`);
  }
  return roles;
}

// Takes the household role off a carer who leaves a household.
async function dropHouseholdRole(couch, name, db, say) {
  const path = userPath(name);
  const found = await couch.expect("GET", path, undefined, [200, 404], `reading user ${name}`);
  const mine = HOUSEHOLD_ROLE + db;
  if (found.status === 404 || !(found.body.roles || []).includes(mine)) return;
  const doc = { ...found.body, roles: found.body.roles.filter((r) => r !== mine) };
  await couch.expect("PUT", path, doc, [201, 202], `updating user ${name}`);
  say(`updated user ${name} (no longer in ${db})`);
}

async function household(couch, opts, say) {
  const [db, ...extra] = opts.positional;
  if (!db) throw new Usage("household needs a database name");
  if (extra.length) throw new Usage(`unexpected ${extra.join(" ")}`);
  checkDbName(db);
  const role = opts.coordinatorRole || DEFAULT_COORDINATOR_ROLE;
  checkRole(role);
  const carers = opts.carers.map(splitCredentials);
  carers.forEach((c) => checkUserName(c.name));
  opts.remove.forEach(checkUserName);
  if (!carers.length && !opts.remove.length) {
    throw new Usage("household needs at least one --carer NAME:PASSWORD");
  }
  await couch.checkAdmin();

  // Each carer gets the role naming the household, which is how the app
  // finds the database when the carer signs in. The app syncs one household,
  // so a carer already in another one is refused.
  // Checked for every carer before anything is written.
  const mine = HOUSEHOLD_ROLE + db;
  const checkOne = (name, roles) => {
    const other = roles.find((r) => r.startsWith(HOUSEHOLD_ROLE) && r !== mine);
    if (other) {
      const theirs = other.slice(HOUSEHOLD_ROLE.length);
      throw new Failure(
        `${name} is already a carer in ${theirs}: take them off it first (household ${theirs} --remove-carer ${name})`,
      );
    }
  };
  for (const carer of carers) {
    const found = await couch.expect("GET", userPath(carer.name), undefined, [200, 404], `reading user ${carer.name}`);
    if (found.status === 200) checkOne(carer.name, found.body.roles || []);
  }
  for (const carer of carers) {
    const setRoles = (roles) => {
      checkOne(carer.name, roles);
      return union(roles, [mine]);
    };
    const roles = await ensureUser(couch, carer.name, carer.password, setRoles, opts.reset, say);
    if (roles.includes(role)) {
      say(`warning: carer ${carer.name} also has the coordinator role "${role}"`);
    }
  }
  for (const name of opts.remove) await dropHouseholdRole(couch, name, db, say);

  const path = dbPath(db);
  const info = await couch.expect("GET", path, undefined, [200, 404], `reading database ${db}`);
  if (info.status === 404) {
    await couch.expect("PUT", path, undefined, [201, 202, 412], `creating database ${db}`);
    say(`created database ${db}`);
  } else {
    say(`already there: database ${db}`);
  }

  // Members are added to those already there (a carer is taken off only with
  // --remove-carer); admins stay as they are, empty on a new database. The
  // "_admin" role CouchDB 3 puts in a new database's _security is left out:
  // server admins are let in whatever _security says.
  const current = (await couch.expect("GET", `${path}/_security`, undefined, [200], `reading ${db}/_security`)).body || {};
  const had = (current.members && current.members.names) || [];
  const names = union(had, carers.map((c) => c.name)).filter((n) => !opts.remove.includes(n));
  const notAdmin = (r) => r !== "_admin";
  const wanted = {
    ...current,
    admins: {
      names: (current.admins && current.admins.names) || [],
      roles: ((current.admins && current.admins.roles) || []).filter(notAdmin),
    },
    members: {
      names,
      roles: union((current.members && current.members.roles) || [], [role]).filter(notAdmin),
    },
  };
  const described = `_security of ${db} (members: ${names.join(", ") || "none"}; member roles: ${wanted.members.roles.join(", ")})`;
  if (sameJson(current, wanted)) {
    say(`already set: ${described}`);
  } else {
    await couch.expect("PUT", `${path}/_security`, wanted, [200, 201], `setting ${db}/_security`);
    say(`set ${described}`);
  }
  if (!names.length) say(`warning: ${db} has no carers: only admins and coordinators can open it`);

  const ddocPath = `${path}/${DESIGN_ID}`;
  const found = await couch.expect("GET", ddocPath, undefined, [200, 404], `reading ${db}/${DESIGN_ID}`);
  const existing = found.status === 200 ? found.body : { _id: DESIGN_ID };
  const ddoc = {
    ...existing,
    language: "javascript",
    validate_doc_update: VALIDATE.replace("COORDINATOR_ROLE", () => JSON.stringify(role)),
  };
  if (found.status === 200 && sameJson(existing, ddoc)) {
    say(`already set: ${DESIGN_ID} in ${db} (${existing._rev})`);
  } else {
    const put = await couch.expect("PUT", ddocPath, ddoc, [201, 202], `writing ${db}/${DESIGN_ID}`);
    say(`${found.status === 200 ? "updated" : "installed"} ${DESIGN_ID} in ${db} (${put.body.rev})`);
  }
}

async function user(couch, opts, say) {
  const [name, password = null, ...extra] = opts.positional;
  if (!name) throw new Usage("user needs a name");
  if (extra.length) throw new Usage(`unexpected ${extra.join(" ")}`);
  checkUserName(name);
  opts.roles.forEach(checkRole);
  await couch.checkAdmin();
  const setRoles = opts.roles.length ? () => opts.roles : (roles) => roles;
  await ensureUser(couch, name, password, setRoles, opts.reset, say);
}

async function main(argv) {
  const opts = parseArgs(argv);
  if (opts.help || !opts.positional.length) {
    console.log(HELP);
    return opts.help ? 0 : 2;
  }
  const command = opts.positional.shift();
  const server = opts.server || process.env.HEARTH_COUCH_URL;
  if (!server) throw new Usage("no server: give --server URL or set HEARTH_COUCH_URL");
  let couch;
  try {
    couch = new Couch(server, opts.admin || process.env.HEARTH_COUCH_ADMIN);
  } catch (e) {
    if (e instanceof TypeError) throw new Usage(`not an address: ${server}`);
    throw e;
  }
  const say = (line) => console.log(line);
  if (command === "household") await household(couch, opts, say);
  else if (command === "user") await user(couch, opts, say);
  else throw new Usage(`unknown command ${command} (household or user)`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    if (e instanceof Usage) {
      console.error(`scheme-admin: ${e.message} (see --help)`);
      process.exitCode = 2;
    } else if (e instanceof Failure) {
      console.error(`scheme-admin: ${e.message}`);
      process.exitCode = 1;
    } else {
      console.error(`scheme-admin: ${e.stack || e}`);
      process.exitCode = 1;
    }
  },
);
