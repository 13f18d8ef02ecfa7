// A confirmed user of an emulator pool, for the Node benchmark scripts
// (micropython_node.mjs, pyodide_ready.mjs): SignUp, the code from the emulator's outbox,
// ConfirmSignUp. Returns the name.
export async function confirmedUser(url, clientId, name, password) {
  const call = async (action, body) => (await fetch(url + "/", { method: "POST", headers: {
    "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSCognitoIdentityProviderService." + action },
    body: JSON.stringify(body) })).json();
  await call("SignUp", { ClientId: clientId, Username: name, Password: password,
    UserAttributes: [{ Name: "email", Value: name + "@example.com" }] });
  const out = await (await fetch(`${url}/_emulator/messages?username=${name}`)).json();
  await call("ConfirmSignUp", { ClientId: clientId, Username: name, ConfirmationCode: out.messages.at(-1).code });
  return name;
}
