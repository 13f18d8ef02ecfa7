// Drives AWS Amplify JS v6 (aws-amplify from npm) against a Cognito endpoint (the emulator).
// Usage: node amplify_v6_client.js <scenario> <json-args>; prints one JSON result line.
// The test that runs it (test_amplify_v6.py) makes the users and app clients.
'use strict';
const path = require('path');
const ROOT = path.resolve(__dirname, '..', '..');
// The package's own entry points ('aws-amplify/auth'...), resolved from the project root.
const load = require('module').createRequire(path.join(ROOT, 'package.json'));
const { Amplify } = load('aws-amplify');
const auth = load('aws-amplify/auth');
const { cognitoUserPoolsTokenProvider } = load('aws-amplify/auth/cognito');
const { Hub } = load('aws-amplify/utils');

// Amplify's KeyValueStorageInterface, kept in memory so the test can read and edit it.
class Storage {
  constructor() { this.items = {}; }
  async setItem(k, v) { this.items[k] = String(v); }
  async getItem(k) { return Object.prototype.hasOwnProperty.call(this.items, k) ? this.items[k] : null; }
  async removeItem(k) { delete this.items[k]; }
  async clear() { this.items = {}; }
}

// Every action Amplify sends, in order (X-Amz-Target without the service prefix).
const sent = [];
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const headers = new Headers((init && init.headers) || (input && input.headers) || {});
  const target = headers.get('x-amz-target');
  if (target) sent.push(target.split('.').pop());
  return realFetch(input, init);
};

function payload(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

function refreshTokenOf(storage) {
  const key = Object.keys(storage.items).find(k => k.endsWith('.refreshToken'));
  return key ? { key, value: storage.items[key] } : null;
}

async function advanceClock(url, seconds) {
  const answer = await realFetch(`${url}/_emulator/clock`, {
    method: 'POST', body: JSON.stringify({ advance: seconds }) });
  if (answer.status !== 200) throw new Error(`clock: HTTP ${answer.status}`);
}

function errorOf(err) {
  return { name: err.name, message: err.message };
}

// Sign in (USER_SRP_AUTH or USER_PASSWORD_AUTH, as Amplify does them), refresh with
// fetchAuthSession({ forceRefresh: true }), then, with rotation, put the spent refresh
// token back after the grace period and refresh again.
async function refresh(args) {
  const storage = configure(args);
  const events = [];
  Hub.listen('auth', ({ payload: p }) => events.push(p.event));
  const out = {};

  const signedIn = await auth.signIn({
    username: args.username, password: args.password,
    options: { authFlowType: args.flow },
  });
  out.signIn = { isSignedIn: signedIn.isSignedIn, step: signedIn.nextStep.signInStep };
  out.signInSent = sent.splice(0);
  const first = await auth.fetchAuthSession();
  const firstRefresh = refreshTokenOf(storage);
  out.firstSub = first.tokens.idToken.payload.sub;

  const second = await auth.fetchAuthSession({ forceRefresh: true });
  out.refreshSent = sent.splice(0);
  const secondRefresh = refreshTokenOf(storage);
  out.refreshed = {
    newAccessToken: second.tokens.accessToken.toString() !== first.tokens.accessToken.toString(),
    newIdToken: second.tokens.idToken.toString() !== first.tokens.idToken.toString(),
    sameSignIn: payload(second.tokens.accessToken.toString()).origin_jti
      === payload(first.tokens.accessToken.toString()).origin_jti,
    newRefreshToken: secondRefresh.value !== firstRefresh.value,
  };
  // The refreshed access token is good at the server (GetUser).
  const attributes = await auth.fetchUserAttributes();
  out.attributesSub = attributes.sub;
  out.currentUser = (await auth.getCurrentUser()).username;
  sent.splice(0);

  if (args.reuseAfter !== undefined) {
    // A second refresh within the session works on the stored (rotated) token.
    const third = await auth.fetchAuthSession({ forceRefresh: true });
    out.thirdOk = Boolean(third.tokens && third.tokens.accessToken);
    out.thirdNewRefresh = refreshTokenOf(storage).value !== secondRefresh.value;
    // The spent first refresh token, back after the grace period: refused as reuse.
    await advanceClock(args.url, args.reuseAfter);
    storage.items[firstRefresh.key] = firstRefresh.value;
    sent.splice(0);
    try {
      const session = await auth.fetchAuthSession({ forceRefresh: true });
      out.reuse = { error: null, tokens: Boolean(session.tokens) };
    } catch (err) {
      out.reuse = { error: errorOf(err) };
    }
    out.reuseSent = sent.splice(0);
    out.refreshTokenLeft = refreshTokenOf(storage) !== null;
  }
  out.events = events;
  return out;
}

async function outboxCode(url, username) {
  const answer = await realFetch(`${url}/_emulator/messages?username=${encodeURIComponent(username)}`);
  const { messages } = await answer.json();
  if (!messages.length) throw new Error(`no code in the outbox for ${username}`);
  return messages[messages.length - 1].code;
}

function configure(args) {
  const storage = new Storage();
  Amplify.configure({
    Auth: { Cognito: {
      userPoolId: args.poolId, userPoolClientId: args.clientId, userPoolEndpoint: args.url,
    } },
  });
  cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
  return storage;
}

// Choice-based sign-in (authFlowType USER_AUTH) with each preferred challenge, the
// factor selection, then the passkeys of the user (listWebAuthnCredentials, delete).
async function userAuth(args) {
  configure(args);
  const out = {};
  const steps = {};
  for (const preferred of ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']) {
    sent.splice(0);
    let result = await auth.signIn({
      username: args.username,
      password: preferred === 'EMAIL_OTP' ? undefined : args.password,
      options: { authFlowType: 'USER_AUTH', preferredChallenge: preferred },
    });
    const seen = [result.nextStep.signInStep];
    if (result.nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE') {
      result = await auth.confirmSignIn({
        challengeResponse: await outboxCode(args.url, args.username) });
      seen.push(result.nextStep.signInStep);
    }
    steps[preferred] = { steps: seen, isSignedIn: result.isSignedIn, sent: sent.splice(0),
      user: (await auth.getCurrentUser()).username };
    await auth.signOut();
  }
  out.preferred = steps;

  // No preference: Amplify shows the factors to choose from; choose PASSWORD.
  let result = await auth.signIn({ username: args.username, options: { authFlowType: 'USER_AUTH' } });
  out.selection = { step: result.nextStep.signInStep,
    availableChallenges: result.nextStep.availableChallenges };
  result = await auth.confirmSignIn({ challengeResponse: 'PASSWORD' });
  out.afterChoice = result.nextStep.signInStep;
  result = await auth.confirmSignIn({ challengeResponse: args.password });
  out.chosen = { isSignedIn: result.isSignedIn, step: result.nextStep.signInStep };

  const listed = await auth.listWebAuthnCredentials({ pageSize: 1 });
  out.listed = listed.credentials.map(c => ({
    credentialId: c.credentialId, relyingPartyId: c.relyingPartyId,
    transports: c.authenticatorTransports, createdAt: c.createdAt instanceof Date,
  }));
  out.nextToken = Boolean(listed.nextToken);
  const rest = await auth.listWebAuthnCredentials({ pageSize: 1, nextToken: listed.nextToken });
  out.secondPage = rest.credentials.map(c => c.credentialId);
  await auth.deleteWebAuthnCredential({ credentialId: out.listed[0].credentialId });
  out.afterDelete = (await auth.listWebAuthnCredentials()).credentials.map(c => c.credentialId);
  return out;
}

const scenarios = { refresh, userAuth };

(async () => {
  const [scenario, raw] = process.argv.slice(2);
  const result = await scenarios[scenario](JSON.parse(raw));
  process.stdout.write(JSON.stringify(result) + '\n');
})().catch(err => {
  process.stderr.write((err && err.stack) || String(err));
  process.exit(1);
});
