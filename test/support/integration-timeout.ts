// Jest reads `testTimeout` only globally, not per project: integration tests set theirs here.
// Real RabbitMQ and PostgreSQL under a parallel run need more than the 5 s default; assertions
// still poll with their own, shorter limits.
jest.setTimeout(60_000);
