export * from './envelope';
export * from './generated';
