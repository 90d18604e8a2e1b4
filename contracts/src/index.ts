export * from './catalogue';
export * from './generated/types';
export { schemaHistories, type SchemaHistory } from './generated/schemas';
