// Drives the original amazon-cognito-identity-js against a Cognito endpoint (the emulator).
// Usage: node original_sdk_client.js <scenario> <json-args>; prints one JSON result line.
// The test that runs it (test_original_sdk.py) reads codes from the emulator's outbox.
'use strict';
const path = require('path');
const ROOT = path.resolve(__dirname, '..', '..');
const sdk = require(path.join(ROOT, 'node_modules', 'amazon-cognito-identity-js'));

class Storage {
  constructor() { this.items = {}; }
  getItem(k) { return Object.prototype.hasOwnProperty.call(this.items, k) ? this.items[k] : null; }
  setItem(k, v) { this.items[k] = String(v); }
  removeItem(k) { delete this.items[k]; }
  clear() { this.items = {}; }
}

function errorOf(err) {
  return err ? { code: err.code || err.name, message: err.message } : null;
}

async function outboxCode(emulatorUrl, username) {
  const answer = await fetch(`${emulatorUrl}/_emulator/messages?username=${encodeURIComponent(username)}`);
  const { messages } = await answer.json();
  if (!messages.length) throw new Error(`no code in the outbox for ${username}`);
  return messages[messages.length - 1].code;
}

function authenticate(user, username, password, flow) {
  if (flow) user.setAuthenticationFlowType(flow);
  return new Promise(resolve => {
    user.authenticateUser(
      new sdk.AuthenticationDetails({ Username: username, Password: password }),
      {
        onSuccess: session => resolve({ ok: true, session }),
        onFailure: err => resolve({ ok: false, error: errorOf(err) }),
      });
  });
}

async function main() {
  const [scenario, raw] = process.argv.slice(2);
  const args = JSON.parse(raw);
  const storage = new Storage();
  const pool = new sdk.CognitoUserPool({
    UserPoolId: args.poolId, ClientId: args.clientId, endpoint: `${args.url}/`, Storage: storage,
  });
  const result = { scenario };
  if (scenario === 'signup-confirm-signin') {
    const attrs = [new sdk.CognitoUserAttribute({ Name: 'email', Value: `${args.username}@example.com` })];
    const signUp = await new Promise(resolve => pool.signUp(args.username, args.password, attrs, null,
      (err, data) => resolve(err ? { error: errorOf(err) } : { confirmed: data.userConfirmed, sub: data.userSub })));
    result.signUp = signUp;
    const user = new sdk.CognitoUser({ Username: args.username, Pool: pool, Storage: storage });
    const code = await outboxCode(args.url, args.username);
    result.confirm = await new Promise(resolve => user.confirmRegistration(code, true,
      (err, data) => resolve(err ? { error: errorOf(err) } : data)));
    const wrong = await authenticate(new sdk.CognitoUser({ Username: args.username, Pool: pool, Storage: storage }),
      args.username, `${args.password}-wrong`);
    result.wrongPassword = wrong.error;
    const srp = await authenticate(user, args.username, args.password);
    result.srp = srp.ok ? {
      username: srp.session.getIdToken().decodePayload()['cognito:username'],
      valid: srp.session.isValid(),
    } : { error: srp.error };
    const plain = await authenticate(new sdk.CognitoUser({ Username: args.username, Pool: pool, Storage: storage }),
      args.username, args.password, 'USER_PASSWORD_AUTH');
    result.passwordAuth = plain.ok ? { valid: plain.session.isValid() } : { error: plain.error };
    result.attributes = await new Promise(resolve => user.getUserAttributes((err, attributes) =>
      resolve(err ? { error: errorOf(err) } : attributes.map(a => a.getName()).sort())));
    const current = pool.getCurrentUser();
    result.currentUser = current && current.getUsername();
    result.storageKeys = Object.keys(storage.items).sort();
  } else if (scenario === 'read-session') {
    // Restore a session another client wrote into storage (the port's keys).
    Object.assign(storage.items, args.storage);
    const current = pool.getCurrentUser();
    result.currentUser = current && current.getUsername();
    result.session = await new Promise(resolve => current.getSession((err, session) =>
      resolve(err ? { error: errorOf(err) } : { valid: session.isValid() })));
  } else {
    throw new Error(`unknown scenario ${scenario}`);
  }
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch(err => { process.stderr.write(String(err && err.stack || err) + '\n'); process.exit(1); });
