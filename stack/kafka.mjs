// A single-node KRaft broker's settings and its storage format, shared by the local stack and by
// the private brokers of tests that stop one.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { host, root } from './config.mjs';

export const kafkaLog4j = `-Dlog4j2.configurationFile=${path.join(root, 'stack', 'kafka-log4j2.properties')}`;

export function kafkaProperties({ port, controllerPort, dataDir, offsetsPartitions = 10 }) {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.bootstrap.servers=${host}:${controllerPort}`,
    `listeners=PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://${host}:${port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${dataDir}`,
    // One node: every internal topic must fit on it, or consumer groups never find a coordinator.
    'offsets.topic.replication.factor=1',
    `offsets.topic.num.partitions=${offsetsPartitions}`,
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'default.replication.factor=1',
    'num.partitions=3',
    'auto.create.topics.enable=true',
    'group.initial.rebalance.delay.ms=0',
    'log.retention.hours=168',
    '',
  ].join('\n');
}

/** A random cluster id. One that starts with '-' would be read as an option by the storage tool. */
function clusterId() {
  let id;
  do id = randomBytes(16).toString('base64url');
  while (id.startsWith('-'));
  return id;
}

/** Formats the broker's storage for a new cluster; returns the storage tool's result. */
export function formatKafkaStorage(classpath, propertiesFile) {
  return spawnSync(
    'java',
    [
      kafkaLog4j,
      '-cp',
      classpath,
      'kafka.tools.StorageTool',
      'format',
      '--standalone',
      '--cluster-id',
      clusterId(),
      '-c',
      propertiesFile,
    ],
    { encoding: 'utf8' },
  );
}
