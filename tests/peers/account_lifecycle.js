// The original amazon-cognito-identity-js against the emulator: sign up, confirm with the
// outbox code, a wrong password, SRP sign-in by email alias, attributes, refresh, password
// change, global sign-out, forgot password, account deletion. Prints one JSON line of
// results. Usage: node peer_js_signin.js URL POOL CLIENT
const path = require('path');
const sdk = require(path.join(__dirname, '..', '..', 'node_modules', 'amazon-cognito-identity-js'));

const [url, poolId, clientId] = process.argv.slice(2);
const pool = new sdk.CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: url });
const username = 'js-' + Date.now() + '-' + Math.floor(Math.random() * 1e6);
const email = username + '@example.com';
const password = 'Passw0rd!';
const out = {};

const promisify = (fn) => new Promise((resolve) => fn((err, value) => resolve([err, value])));
const signIn = (name, pw) => new Promise((resolve) => {
  const user = new sdk.CognitoUser({ Username: name, Pool: pool });
  user.authenticateUser(new sdk.AuthenticationDetails({ Username: name, Password: pw }), {
    onSuccess: (session) => resolve([null, user, session]),
    onFailure: (err) => resolve([err, user, null]),
  });
});
const lastCode = async (name) => {
  const answer = await fetch(url + '/_emulator/messages?username=' + encodeURIComponent(name));
  return (await answer.json()).messages.at(-1).code;
};

(async () => {
  const attrs = [new sdk.CognitoUserAttribute({ Name: 'email', Value: email })];
  let [err, res] = await promisify((cb) => pool.signUp(username, password, attrs, null, cb));
  out.signUp = err ? err.code : res.codeDeliveryDetails.DeliveryMedium;
  const user = new sdk.CognitoUser({ Username: username, Pool: pool });
  const code = await lastCode(username);
  [err] = await promisify((cb) => user.confirmRegistration(code, false, cb));
  out.confirm = err ? err.code : 'ok';
  [err] = await signIn(email, 'Wrong-passw0rd');
  out.wrongPassword = err ? err.code + ': ' + err.message : 'accepted';
  let session;
  let signedIn;
  [err, signedIn, session] = await signIn(email, password);
  out.signIn = err ? err.code + ': ' + err.message : session.isValid();
  if (session) {
    out.username = session.getIdToken().payload['cognito:username'];
    [err, res] = await promisify((cb) => signedIn.getUserAttributes(cb));
    out.attributes = err ? err.code : res.map((a) => a.getName()).sort();
    [err, res] = await promisify((cb) => signedIn.refreshSession(session.getRefreshToken(), cb));
    out.refresh = err ? err.code : res.isValid();
    const attr = [new sdk.CognitoUserAttribute({ Name: 'name', Value: 'Ada' })];
    [err] = await promisify((cb) => signedIn.updateAttributes(attr, cb));
    out.updateAttributes = err ? err.code : 'ok';
    [err, res] = await promisify((cb) => signedIn.changePassword(password, 'Chang3d-pass', cb));
    out.changePassword = err ? err.code : res;
    out.globalSignOut = await new Promise((resolve) => signedIn.globalSignOut({
      onSuccess: () => resolve('ok'), onFailure: (e) => resolve(e.code),
    }));
    [err] = await promisify((cb) => signedIn.getUserAttributes(cb));
    out.afterSignOut = err ? err.message : 'still valid';
  }
  const forgetful = new sdk.CognitoUser({ Username: username, Pool: pool });
  out.forgotPassword = await new Promise((resolve) => forgetful.forgotPassword({
    onSuccess: () => resolve('no code asked'), onFailure: (e) => resolve(e.code),
    inputVerificationCode: (data) => resolve(data.CodeDeliveryDetails.DeliveryMedium),
  }));
  const resetCode = await lastCode(username);
  out.confirmPassword = await new Promise((resolve) => forgetful.confirmPassword(
    resetCode, 'R3set-pass!', { onSuccess: resolve, onFailure: (e) => resolve(e.code) },
  ));
  let again;
  [err, again] = await signIn(username, 'R3set-pass!');
  out.signInAfterReset = err ? err.code : 'ok';
  if (again) {
    [err, res] = await promisify((cb) => again.deleteUser(cb));
    out.deleteUser = err ? err.code : res;
  }
  console.log(JSON.stringify(out));
})();
