// node-opcua writes its warnings with console.log, some of them from work it starts when a module
// loads (node-opcua-secure-channel runs a 4096-bit RSA self-test and warns about Node 20's
// PKCS#1 v1.5 when it is done, seconds later under load). One that lands after its test file has
// finished makes Jest fail the whole run ("Cannot log after tests are done"). Tests assert none of
// these warnings (the connector sends them to its logger anyway): below error level, off.
process.env.NODEOPCUA_LOG_LEVEL ??= '3';
