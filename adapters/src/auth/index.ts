export * from './authenticator';
export * from './middleware';
export * from './revocation';
