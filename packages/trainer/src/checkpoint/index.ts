export { CheckpointStore, CheckpointError, type Checkpoint, type CheckpointMeta, type CheckpointStoreOptions } from './store.js';
