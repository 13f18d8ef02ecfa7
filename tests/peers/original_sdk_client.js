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

// Remembered devices and revocation with the original SDK (pool "devices": the user is
// asked whether to remember the device). Records every action the SDK sends.
function callbacks(resolve) {
  return { onSuccess: data => resolve({ ok: data }), onFailure: err => resolve({ error: errorOf(err) }) };
}

async function deviceFlow(args, pool, storage) {
  const out = {};
  const sent = [];
  const request = pool.client.request.bind(pool.client);
  pool.client.request = (op, params, cb) => {
    sent.push(params.ChallengeName ? `${op}:${params.ChallengeName}` : op);
    return request(op, params, cb);
  };
  const attrs = [new sdk.CognitoUserAttribute({ Name: 'email', Value: `${args.username}@example.com` })];
  await new Promise(resolve => pool.signUp(args.username, args.password, attrs, null, resolve));
  let user = new sdk.CognitoUser({ Username: args.username, Pool: pool, Storage: storage });
  const code = await outboxCode(args.url, args.username);
  await new Promise(resolve => user.confirmRegistration(code, true, resolve));
  const details = new sdk.AuthenticationDetails({ Username: args.username, Password: args.password });
  const signIn = target => new Promise(resolve => target.authenticateUser(details, {
    onSuccess: (session, userConfirmationNecessary) => resolve({ session, userConfirmationNecessary }),
    onFailure: err => resolve({ error: errorOf(err) }),
  }));
  const deviceKeyOf = s => s.getAccessToken().decodePayload().device_key;
  const prefix = `CognitoIdentityServiceProvider.${args.clientId}.${args.username}.`;

  sent.length = 0;
  const first = await signIn(user);
  out.first = { sent: sent.slice(), necessary: first.userConfirmationNecessary,
    deviceKey: storage.getItem(`${prefix}deviceKey`), claim: deviceKeyOf(first.session),
    group: storage.getItem(`${prefix}deviceGroupKey`),
    password: Boolean(storage.getItem(`${prefix}randomPasswordKey`)) };
  out.remembered = await new Promise(resolve => user.setDeviceStatusRemembered(callbacks(resolve)));
  out.listed = await new Promise(resolve => user.listDevices(10, null, {
    onSuccess: data => resolve(data.Devices.map(d => d.DeviceKey)),
    onFailure: err => resolve({ error: errorOf(err) }),
  }));

  // A new CognitoUser on the same storage: DEVICE_SRP_AUTH with the remembered device.
  user = new sdk.CognitoUser({ Username: args.username, Pool: pool, Storage: storage });
  sent.length = 0;
  const second = await signIn(user);
  out.second = { sent: sent.slice(), necessary: second.userConfirmationNecessary || false,
    claim: second.session && deviceKeyOf(second.session) };
  out.device = await new Promise(resolve => user.getDevice({
    onSuccess: data => resolve(data.Device.DeviceAttributes.reduce(
      (all, a) => Object.assign(all, { [a.Name]: a.Value }), { key: data.Device.DeviceKey })),
    onFailure: err => resolve({ error: errorOf(err) }),
  }));

  // Forgotten elsewhere: the next sign-in here takes the SDK's stale-device retry.
  const otherStorage = new Storage();
  const otherPool = new sdk.CognitoUserPool({ UserPoolId: args.poolId, ClientId: args.clientId,
    endpoint: `${args.url}/`, Storage: otherStorage });
  const other = new sdk.CognitoUser({ Username: args.username, Pool: otherPool, Storage: otherStorage });
  await signIn(other);
  out.forgotElsewhere = await new Promise(resolve =>
    other.forgetSpecificDevice(out.first.deviceKey, callbacks(resolve)));
  user = new sdk.CognitoUser({ Username: args.username, Pool: pool, Storage: storage });
  sent.length = 0;
  const third = await signIn(user);
  out.third = { sent: sent.slice(), claim: third.session && deviceKeyOf(third.session),
    deviceKey: storage.getItem(`${prefix}deviceKey`) };

  // Revocation: signOut(callback) revokes the refresh token and its access tokens;
  // globalSignOut ends the other browser's session too.
  const access = third.session.getAccessToken().getJwtToken();
  sent.length = 0;
  out.signOut = await new Promise(resolve => user.signOut(err => resolve(errorOf(err))));
  out.signOutSent = sent.slice();
  const probe = token => new Promise(resolve => pool.client.request('GetUser', { AccessToken: token },
    err => resolve(err ? errorOf(err) : 'ok')));
  out.afterSignOut = await probe(access);
  user = new sdk.CognitoUser({ Username: args.username, Pool: pool, Storage: storage });
  const fourth = await signIn(user);
  const otherAccess = other.getSignInUserSession().getAccessToken().getJwtToken();
  out.globalSignOut = await new Promise(resolve => user.globalSignOut(callbacks(resolve)));
  out.afterGlobal = [await probe(fourth.session.getAccessToken().getJwtToken()), await probe(otherAccess)];
  out.refreshAfterGlobal = await new Promise(resolve => other.refreshSession(
    other.getSignInUserSession().getRefreshToken(), err => resolve(errorOf(err))));
  return out;
}

// MFA and custom authentication with the original SDK (pools "mfa-optional", "mfa-on",
// "custom"): its own callbacks, sendMFACode, associateSoftwareToken, verifySoftwareToken,
// initiateAuth and sendCustomChallengeAnswer.
function totp(secret, when) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map(b => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor((when || Date.now() / 1000) / 30)));
  const digest = require('crypto').createHmac('sha1', key).update(counter).digest();
  const offset = digest[digest.length - 1] & 15;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

async function signUpConfirmed(args, pool, attributes) {
  const attrs = Object.entries(attributes).map(([Name, Value]) => new sdk.CognitoUserAttribute({ Name, Value }));
  await new Promise(resolve => pool.signUp(args.username, args.password, attrs, null, resolve));
  const user = new sdk.CognitoUser({ Username: args.username, Pool: pool });
  const code = await outboxCode(args.url, args.username);
  await new Promise(resolve => user.confirmRegistration(code, true, resolve));
}

async function mfaSms(args, pool) {
  const out = {};
  await signUpConfirmed(args, pool, { email: `${args.username}@example.com`, phone_number: args.phone });
  const details = new sdk.AuthenticationDetails({ Username: args.username, Password: args.password });
  let user = new sdk.CognitoUser({ Username: args.username, Pool: pool });
  await authenticate(user, args.username, args.password);
  out.enable = await new Promise(resolve => user.enableMFA((err, r) => resolve(err ? errorOf(err) : r)));
  out.options = await new Promise(resolve => user.getMFAOptions((err, r) => resolve(err ? errorOf(err) : r)));
  user = new sdk.CognitoUser({ Username: args.username, Pool: pool });
  out.steps = [];
  const session = await new Promise(resolve => {
    const callbacks = {
      onSuccess: s => resolve(s),
      onFailure: err => {
        out.steps.push(['onFailure', errorOf(err)]);
        outboxCode(args.url, args.username).then(code => user.sendMFACode(code, callbacks));
      },
      mfaRequired: async (name, params) => {
        out.steps.push([name, params]);
        const code = await outboxCode(args.url, args.username);
        user.sendMFACode(code === '000000' ? '111111' : '000000', callbacks); // wrong first
      },
    };
    user.authenticateUser(details, callbacks);
  });
  out.valid = session.isValid();
  out.userData = await new Promise(resolve => user.getUserData((err, data) =>
    resolve(err ? errorOf(err) : { PreferredMfaSetting: data.PreferredMfaSetting, UserMFASettingList: data.UserMFASettingList }),
  { bypassCache: true }));
  out.disable = await new Promise(resolve => user.disableMFA((err, r) => resolve(err ? errorOf(err) : r)));
  out.after = await authenticate(new sdk.CognitoUser({ Username: args.username, Pool: pool }),
    args.username, args.password).then(r => r.ok);
  return out;
}

async function mfaTotp(args, pool) {
  const out = { steps: [] };
  await signUpConfirmed(args, pool, { email: `${args.username}@example.com` });
  const details = new sdk.AuthenticationDetails({ Username: args.username, Password: args.password });
  let user = new sdk.CognitoUser({ Username: args.username, Pool: pool });
  let secret = null;
  const first = await new Promise(resolve => {
    const callbacks = {
      onSuccess: s => resolve(s),
      onFailure: err => resolve({ error: errorOf(err) }),
      mfaSetup: (name, params) => { out.steps.push([name, params]); user.associateSoftwareToken(callbacks); },
      associateSecretCode: code => {
        secret = code;
        out.steps.push('associateSecretCode');
        user.verifySoftwareToken(totp(code), 'My TOTP device', callbacks);
      },
    };
    user.authenticateUser(details, callbacks);
  });
  out.setupValid = first.isValid ? first.isValid() : first;
  out.preference = await new Promise(resolve => user.setUserMfaPreference(null,
    { PreferredMfa: true, Enabled: true }, (err, r) => resolve(err ? errorOf(err) : r)));
  user = new sdk.CognitoUser({ Username: args.username, Pool: pool });
  const second = await new Promise(resolve => {
    const callbacks = {
      onSuccess: s => resolve(s),
      onFailure: err => resolve({ error: errorOf(err) }),
      totpRequired: (name, params) => {
        out.steps.push([name, params]);
        user.sendMFACode(totp(secret, Date.now() / 1000 + 30), callbacks, 'SOFTWARE_TOKEN_MFA');
      },
    };
    user.authenticateUser(details, callbacks);
  });
  out.signInValid = second.isValid ? second.isValid() : second;
  return out;
}

async function customAuth(args, pool) {
  const out = { steps: [] };
  await signUpConfirmed(args, pool, { email: `${args.username}@example.com` });
  const run = (start) => new Promise(resolve => {
    const user = new sdk.CognitoUser({ Username: args.username, Pool: pool });
    user.setAuthenticationFlowType('CUSTOM_AUTH');
    let tries = 0;
    const callbacks = {
      onSuccess: s => resolve(s.isValid()),
      onFailure: err => resolve(errorOf(err)),
      customChallenge: async params => {
        // The example triggers send a one-time code to the verified email: a wrong
        // answer first (a new code follows), then the code from the outbox.
        tries += 1;
        out.steps.push(Object.keys(params).sort());
        const answer = tries === 1 ? 'wrong' : await outboxCode(args.url, args.username);
        user.sendCustomChallengeAnswer(answer, callbacks);
      },
    };
    start(user, callbacks);
  });
  out.withoutSrp = await run((user, cb) =>
    user.initiateAuth(new sdk.AuthenticationDetails({ Username: args.username }), cb));
  out.withSrp = await run((user, cb) => user.authenticateUser(
    new sdk.AuthenticationDetails({ Username: args.username, Password: args.password }), cb));
  out.wrongPassword = await run((user, cb) => user.authenticateUser(
    new sdk.AuthenticationDetails({ Username: args.username, Password: `${args.password}x` }), cb));
  return out;
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
  } else if (scenario === 'new-password') {
    // A user made by AdminCreateUser signs in with the temporary password and sets a
    // new one through completeNewPasswordChallenge.
    const user = new sdk.CognitoUser({ Username: args.username, Pool: pool, Storage: storage });
    const details = new sdk.AuthenticationDetails({ Username: args.username, Password: args.temporaryPassword });
    result.challenge = await new Promise(resolve => {
      user.authenticateUser(details, {
        onSuccess: () => resolve({ error: 'signed in without a challenge' }),
        onFailure: err => resolve({ error: errorOf(err) }),
        newPasswordRequired: (userAttributes, requiredAttributes) =>
          resolve({ userAttributes, requiredAttributes }),
      });
    });
    if (result.challenge.userAttributes) {
      // As the SDK's documentation says: the verified flags cannot be written back.
      const attributes = Object.assign({}, result.challenge.userAttributes, args.attributes || {});
      delete attributes.email_verified;
      delete attributes.phone_number_verified;
      result.complete = await new Promise(resolve => {
          user.completeNewPasswordChallenge(args.newPassword, attributes, {
          onSuccess: session => resolve({
            valid: session.isValid(),
            username: session.getIdToken().decodePayload()['cognito:username'],
            name: session.getIdToken().decodePayload().name,
          }),
          onFailure: err => resolve({ error: errorOf(err) }),
        });
      });
      const again = await authenticate(new sdk.CognitoUser({ Username: args.username, Pool: pool, Storage: storage }),
        args.username, args.newPassword);
      result.again = again.ok ? { valid: again.session.isValid() } : { error: again.error };
      const old = await authenticate(new sdk.CognitoUser({ Username: args.username, Pool: pool, Storage: storage }),
        args.username, args.temporaryPassword);
      result.temporaryAgain = old.ok ? 'signed in' : old.error;
    }
  } else if (scenario === 'read-session') {
    // Restore a session another client wrote into storage (the port's keys).
    Object.assign(storage.items, args.storage);
    const current = pool.getCurrentUser();
    result.currentUser = current && current.getUsername();
    result.session = await new Promise(resolve => current.getSession((err, session) =>
      resolve(err ? { error: errorOf(err) } : { valid: session.isValid() })));
  } else if (scenario === 'device-flow') {
    result.device = await deviceFlow(args, pool, storage);
  } else if (scenario === 'mfa-sms') {
    result.mfa = await mfaSms(args, pool);
  } else if (scenario === 'mfa-totp') {
    result.mfa = await mfaTotp(args, pool);
  } else if (scenario === 'custom-auth') {
    result.custom = await customAuth(args, pool);
  } else {
    throw new Error(`unknown scenario ${scenario}`);
  }
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch(err => { process.stderr.write(String(err && err.stack || err) + '\n'); process.exit(1); });
