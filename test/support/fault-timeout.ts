// Fault tests stop and restart services and push 10,000 events each.
jest.setTimeout(300_000);
